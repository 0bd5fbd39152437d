// Public JWKs the client-key suites register (private_key_jwt).
#pragma once

#include <sodium.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "crypto/base64url.hpp"

namespace tessera::test {

// A fresh Ed25519 public JWK; `kid` when not empty. `private_out`, when
// given, receives the private half (for a JWK that wrongly carries it).
inline nlohmann::json ed25519_jwk(const std::string& kid = "", std::string* private_out = nullptr) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  nlohmann::json jwk = {
      {"kty", "OKP"},
      {"crv", "Ed25519"},
      {"x", crypto::base64url_encode(std::string_view(reinterpret_cast<char*>(pk), 32))}};
  if (!kid.empty()) jwk["kid"] = kid;
  if (private_out != nullptr) {
    *private_out = crypto::base64url_encode(std::string_view(reinterpret_cast<char*>(sk), 32));
  }
  return jwk;
}

}  // namespace tessera::test
