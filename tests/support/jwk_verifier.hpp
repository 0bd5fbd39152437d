#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace tessera::test {

// Whether `signature` is a valid JWS signature over `signing_input` by the
// public key a JWK describes (RFC 7517/7518/8037): OKP Ed25519 (EdDSA), EC
// P-256 (ES256, R || S) or RSA (RS256). The key is built from the JWK's
// members alone, with OpenSSL: not with the server's own code, which reads
// the keys it stores in other forms (raw Ed25519 bytes, DER), so a wrong
// member would show here as a key that verifies nothing.
bool jwk_verifies(const nlohmann::json& jwk, std::string_view signing_input,
                  std::string_view signature);

}  // namespace tessera::test
