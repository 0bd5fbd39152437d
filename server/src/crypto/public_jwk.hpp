#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "crypto/pkey.hpp"
#include "domain/types.hpp"

namespace tessera::crypto {

// A client's public key, read from a JWK (RFC 7517) it registered or
// published: what private_key_jwt assertions (RFC 7523) are verified with.
struct PublicJwk {
  domain::SigningAlg alg = domain::kDefaultSigningAlg;
  std::string kid;         // empty when the JWK has none
  std::string thumbprint;  // RFC 7638 (SHA-256), base64url
  // The public members as kept and shown: kty, crv/x/y or n/e, alg, use
  // "sig", kid when given. Nothing else of what was sent.
  nlohmann::json members;
  std::string ed25519;             // EdDSA: the 32-byte public key
  std::optional<PublicPkey> pkey;  // ES256, RS256

  // Verifies a JWS signature made with this key's algorithm.
  bool verify(std::string_view signing_input, std::string_view signature) const;
};

// Reads one public JWK: an Ed25519 (OKP), P-256 (EC) or RSA (≥ 2048 bits)
// key for signing. Refused, with the reason as text: anything that is not
// such a key (a symmetric `oct` key, other curves), a JWK holding private
// members (`d`, `p`, …), an `alg` other than the key's (EdDSA, ES256,
// RS256: never `none` or HMAC), a `use` other than "sig".
std::variant<PublicJwk, std::string> read_public_jwk(const nlohmann::json& jwk);

// RFC 7638 thumbprint of a JWK's required public members.
std::string jwk_thumbprint(const nlohmann::json& members);

}  // namespace tessera::crypto
