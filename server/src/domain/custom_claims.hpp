#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace tessera::domain {

// Static claims a client's tokens carry (docs/oauth.md, "Custom claims"):
// set on the client and on each grant, added to JWTs and to introspection
// answers.

// At most this many members, and this many bytes as compact JSON, per
// client and per grant: they ride in every JWT.
inline constexpr std::size_t kMaxCustomClaims = 20;
inline constexpr std::size_t kMaxCustomClaimsBytes = 2048;

// Why `claims` cannot be a client's or a grant's custom claims (not an
// object, too many or too large, a reserved or malformed name), or nullopt.
// Reserved: the names RFC 7519, RFC 9068, RFC 7662 and RFC 9449 give a
// meaning that Tessera sets itself.
std::optional<std::string> why_not_custom_claims(const nlohmann::json& claims);

// The claims a token for this grant carries: the client's, then the
// grant's over them, without any reserved name. The admin API refuses
// those names, but rows may be written otherwise (an operator's SQL): a
// stored `cnf` or `nbf` must never reach a token the server did not bind
// or date that way.
nlohmann::json merged_claims(const nlohmann::json& client_claims,
                             const nlohmann::json& grant_claims);

}  // namespace tessera::domain
