#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/types.hpp"
#include "http/request.hpp"

namespace tessera::admin {

// Reads the fields of an admin request's JSON object, throwing AdminError
// (invalid_request, naming the field) for a wrong type or value. Unknown
// fields are refused by finish(), so a typo never passes silently.
class BodyReader {
 public:
  explicit BodyReader(const http::Request& request);

  bool has(const std::string& field) const;
  std::string required_string(const std::string& field);
  // "name", required, by the name rule of every resource (domain/validation.hpp).
  std::string required_name();
  std::optional<std::string> optional_string(const std::string& field);
  std::optional<bool> optional_bool(const std::string& field);
  // Absent: nullopt. null: a cleared setting. Otherwise a valid TTL.
  std::optional<std::optional<int>> optional_ttl(const std::string& field);
  std::optional<std::optional<domain::TokenFormat>> optional_token_format(const std::string& field);
  std::optional<std::optional<domain::SigningAlg>> optional_signing_alg(const std::string& field);
  std::optional<std::int64_t> optional_integer(const std::string& field, std::int64_t min,
                                               std::int64_t max);
  // Absent: nullopt. Otherwise custom claims by their rule
  // (domain/custom_claims.hpp), the reason naming the field when not.
  std::optional<nlohmann::json> optional_claims(const std::string& field);
  // The raw value of a field, or nullptr when absent.
  const nlohmann::json* take(const std::string& field);
  // The whole body, every field counted as read: for a body that is itself
  // a document with rules of its own (a JWK).
  const nlohmann::json& take_all();

  // Throws for the first field nobody read.
  void finish() const;

 private:
  nlohmann::json body_;
  std::set<std::string> read_;
};

}  // namespace tessera::admin
