#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "domain/token_views.hpp"

namespace tessera::tokens {

// The claims of a Tessera JWT access token (RFC 9068 §2.2).
struct JwtClaims {
  std::string iss;
  std::string client_id;  // also `sub`: the token acts for the client itself
  std::string aud;
  std::int64_t iat = 0;
  std::int64_t exp = 0;
  std::string jti;
  std::string scope;
  // A DPoP-bound token (RFC 9449 §6.1): its key's thumbprint, as cnf.jkt.
  std::string cnf_jkt;
  // The client's and grant's custom claims (domain/custom_claims.hpp): an
  // object whose names are none of the above.
  nlohmann::json custom = nlohmann::json::object();
};

// Signs with the tenant's active key of `alg`: header {"alg","typ":"at+jwt","kid"}.
// Only signs: the key's private half was opened when the view was loaded
// (tokens/jwt_signing_key.hpp). Throws std::runtime_error when the tenant
// has no active key of that algorithm or its private half is not open (it
// did not open). An RS256 signature takes about a millisecond of CPU: the
// token endpoint signs those off the reactor threads (signs_off_reactor).
std::string mint_jwt(const domain::TenantView& tenant, const JwtClaims& claims,
                     domain::SigningAlg alg = domain::kDefaultSigningAlg);

// Whether signing with `alg` costs too much CPU for a reactor thread, where
// it would hold up every other connection of that thread.
bool signs_off_reactor(domain::SigningAlg alg);

// Checks a JWT against the tenant's published keys: compact form, header
// (typ at+jwt, a known kid, and the alg of that key: a token cannot choose
// how it is verified), signature and the claim types. Expiry and revocation
// are the caller's (they need the clock and the store).
std::optional<JwtClaims> verify_jwt(const domain::TenantView& tenant, std::string_view token);

// Cheap shape test, to tell a JWT from an opaque token.
bool looks_like_jwt(std::string_view token);

}  // namespace tessera::tokens
