#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/public_jwk.hpp"
#include "domain/types.hpp"

namespace tessera::grants {

// private_key_jwt (RFC 7523 §2.2, §3; RFC 7521 §4.2): a client proves who
// it is with a JWT signed by one of its keys.
inline constexpr std::string_view kJwtBearerAssertionType =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

// An assertion lives at most this long: its `exp` may be no further ahead,
// so that remembering its jti for its lifetime stays cheap.
inline constexpr std::chrono::seconds kMaxAssertionLifetime{300};
// Clock skew tolerated between client and server on `exp`, `nbf`, `iat`.
inline constexpr std::chrono::seconds kAssertionLeeway{30};

// The client an assertion claims to come from (its `iss`, which must equal
// `sub`), read without checking anything else: only to find the keys to
// check it with. nullopt when it is not a compact JWS with such claims.
std::optional<std::string> assertion_client_id(std::string_view assertion);

// A verified assertion: its jti is to be accepted once until `expires_at`.
struct VerifiedAssertion {
  std::string jti;
  domain::Timestamp expires_at;
};

// Verifies `assertion` for `client_id`: the header's `alg` is EdDSA, ES256
// or RS256 (never `none` or HMAC) and the signature verifies with one of
// `keys` of that algorithm (the one `kid` names, when it names one); `iss`
// and `sub` are the client id; `aud` (a string or an array) holds one of
// `audiences`; `exp` is in the future and at most five minutes ahead;
// `nbf` and `iat`, when present, are not in the future; `jti` is a string
// of 1–256 characters. The reason of a refusal is for the log only (the
// client gets invalid_client).
std::variant<VerifiedAssertion, std::string> verify_client_assertion(
    std::string_view assertion, const std::string& client_id,
    const std::vector<crypto::PublicJwk>& keys, const std::vector<std::string>& audiences,
    domain::Timestamp now);

}  // namespace tessera::grants
