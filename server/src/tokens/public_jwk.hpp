#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "domain/types.hpp"

namespace tessera::tokens {

// The public JWK members of a stored public key (SPEC §3.4): EdDSA
// {kty: OKP, crv: Ed25519, x} (RFC 8037), ES256 {kty: EC, crv: P-256, x, y},
// RS256 {kty: RSA, n, e} (RFC 7518 §6). Null when the stored key does not
// read as a key of `alg`.
nlohmann::json public_jwk_members(domain::SigningAlg alg, std::string_view public_key);

}  // namespace tessera::tokens
