#pragma once

#include <cstdint>
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
};

// Signs with the tenant's active key: header {"alg":"EdDSA","typ":"at+jwt","kid"}.
// Only signs: the key's private half was opened when the view was loaded
// (tokens/jwt_signing_key.hpp). Throws std::runtime_error when the tenant
// has no active key or its private half is not open (it did not open).
std::string mint_jwt(const domain::TenantView& tenant, const JwtClaims& claims);

// Checks a JWT against the tenant's published keys: compact form, header
// (alg EdDSA, typ at+jwt, a known kid), signature and the claim types.
// Expiry and revocation are the caller's (they need the clock and the store).
std::optional<JwtClaims> verify_jwt(const domain::TenantView& tenant, std::string_view token);

// Cheap shape test, to tell a JWT from an opaque token.
bool looks_like_jwt(std::string_view token);

}  // namespace tessera::tokens
