// A client's signing key as the key-based cases of tessera_hot_path use it
// (hot_path_assertions.cpp, hot_path_dpop.cpp): its public JWK and how the
// client signs with it.
#pragma once

#include <sodium.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "crypto/pkey.hpp"
#include "domain/types.hpp"

namespace tessera::bench {

struct SigningKey {
  nlohmann::json jwk;  // kty and the public members
  std::function<std::string(const std::string&)> sign;

  static SigningKey make(domain::SigningAlg alg) {
    if (alg == domain::SigningAlg::eddsa) {
      std::string pk(crypto_sign_PUBLICKEYBYTES, '\0');
      std::string sk(crypto_sign_SECRETKEYBYTES, '\0');
      crypto_sign_keypair(reinterpret_cast<unsigned char*>(pk.data()),
                          reinterpret_cast<unsigned char*>(sk.data()));
      return {{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", crypto::base64url_encode(pk)}},
              [sk](const std::string& input) { return crypto::ed25519_signature(input, sk); }};
    }
    const auto pair = crypto::pkey_generate(alg);
    const auto private_key = crypto::PrivatePkey::from_der(alg, pair.private_der);
    return {crypto::PublicPkey::from_der(alg, pair.public_der)->jwk_members(),
            [private_key](const std::string& input) { return private_key->sign(input); }};
  }
};

}  // namespace tessera::bench
