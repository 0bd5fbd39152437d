#pragma once

#include <optional>
#include <string_view>

namespace tessera::crypto {

// The JWS algorithms a tenant can sign with.
enum class SigningAlg { eddsa, es256, rs256 };

// "EdDSA", "ES256", "RS256": the JOSE names (RFC 7518 §3.1, RFC 8037 §3.1),
// as they appear in a JWS header's `alg` and a JWK's `alg`.
std::string_view to_string(SigningAlg alg);

// Exact and case-sensitive, as JOSE names are (RFC 7515 §4.1.1): "es256" is
// not an algorithm.
std::optional<SigningAlg> parse_signing_alg(std::string_view name);

}  // namespace tessera::crypto
