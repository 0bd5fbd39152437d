#pragma once

#include <stdexcept>
#include <string>

namespace tessera::store {

// The database could not be reached or lost the connection mid-request:
// callers answer 503 temporarily_unavailable.
class Unavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A uniqueness rule of the data was broken (duplicate slug, identifier, …).
// `field` names the request field at fault.
class Conflict : public std::runtime_error {
 public:
  Conflict(std::string field, const std::string& message)
      : std::runtime_error(message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// A row the operation needs is absent (or belongs to another tenant).
class NotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace tessera::store
