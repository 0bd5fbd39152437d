#include "crypto/ed25519.hpp"

#include <sodium.h>

namespace tessera::crypto {

static_assert(Ed25519SecretKey::kSize == crypto_sign_SECRETKEYBYTES,
              "Ed25519SecretKey holds libsodium's secret key form");

Ed25519KeyPair ed25519_generate() {
  Ed25519KeyPair pair{std::string(crypto_sign_PUBLICKEYBYTES, '\0'),
                      std::string(crypto_sign_SECRETKEYBYTES, '\0')};
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(pair.public_key.data()),
                      reinterpret_cast<unsigned char*>(pair.secret_key.data()));
  return pair;
}

}  // namespace tessera::crypto
