#pragma once

#include <stdexcept>
#include <string>

#include "http/response.hpp"

namespace tessera::admin {

// The admin API's error codes (SPEC §4), each with one HTTP status.
enum class AdminErrorCode {
  not_found,
  invalid_request,
  conflict,
  unauthorized,
  forbidden,
  method_not_allowed,
  too_many_requests,
  temporarily_unavailable,
  internal_error,
};

const char* to_string(AdminErrorCode code);
int status_of(AdminErrorCode code);

// The one error type of the admin API; handlers throw it, write_admin_error
// answers it. `field` names the request field at fault, when there is one.
class AdminError : public std::runtime_error {
 public:
  AdminError(AdminErrorCode code, const std::string& message, std::string field = "")
      : std::runtime_error(message), code_(code), field_(std::move(field)) {}
  AdminErrorCode code() const { return code_; }
  const std::string& field() const { return field_; }

 private:
  AdminErrorCode code_;
  std::string field_;
};

// {"error":"…","message":"…"[,"field":"…"]} with the code's status.
http::Response write_admin_error(const AdminError& error);

// Shorthand for the common "field: rule" validation failure.
AdminError invalid_field(const std::string& field, const std::string& rule);

}  // namespace tessera::admin
