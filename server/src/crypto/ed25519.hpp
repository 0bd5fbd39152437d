#pragma once

#include <string>

namespace tessera::crypto {

// An Ed25519 key pair (libsodium): `public_key` is 32 bytes, `secret_key` the
// 64-byte libsodium form (seed followed by the public key).
struct Ed25519KeyPair {
  std::string public_key;
  std::string secret_key;
};

Ed25519KeyPair ed25519_generate();

}  // namespace tessera::crypto
