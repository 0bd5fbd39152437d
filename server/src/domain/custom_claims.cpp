#include "domain/custom_claims.hpp"

#include <array>
#include <string_view>

namespace tessera::domain {
namespace {

constexpr std::array<std::string_view, 13> kReserved = {
    "iss",   "sub",       "aud", "exp",    "iat",        "nbf", "jti",
    "scope", "client_id", "cnf", "active", "token_type", "typ"};
constexpr std::size_t kMaxNameLength = 64;

bool is_reserved(const std::string& name) {
  for (const auto reserved : kReserved) {
    if (name == reserved) return true;
  }
  return false;
}

bool is_printable_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> why_not_custom_claims(const nlohmann::json& claims) {
  if (!claims.is_object()) return std::string("must be a JSON object");
  if (claims.size() > kMaxCustomClaims) return std::string("holds more than 20 claims");
  for (const auto& [name, value] : claims.items()) {
    if (!is_printable_name(name)) {
      return std::string("a claim name must be 1-64 printable ASCII characters without spaces");
    }
    if (is_reserved(name)) return "'" + name + "' is a reserved claim the server sets";
  }
  if (claims.dump().size() > kMaxCustomClaimsBytes) {
    return std::string("is larger than 2048 bytes as JSON");
  }
  return std::nullopt;
}

nlohmann::json merged_claims(const nlohmann::json& client_claims,
                             const nlohmann::json& grant_claims) {
  nlohmann::json merged = nlohmann::json::object();
  for (const auto* claims : {&client_claims, &grant_claims}) {
    if (!claims->is_object()) continue;
    for (const auto& [name, value] : claims->items()) {
      if (!is_reserved(name)) merged[name] = value;
    }
  }
  return merged;
}

}  // namespace tessera::domain
