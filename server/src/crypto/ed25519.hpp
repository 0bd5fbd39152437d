#pragma once

#include <string>

#include "crypto/guarded_key.hpp"

namespace tessera::crypto {

// An Ed25519 key pair (libsodium): `public_key` is 32 bytes, `secret_key` the
// 64-byte libsodium form (seed followed by the public key).
struct Ed25519KeyPair {
  std::string public_key;
  std::string secret_key;
};

Ed25519KeyPair ed25519_generate();

// A 64-byte libsodium Ed25519 secret key kept for signing, in guarded memory.
using Ed25519SecretKey = GuardedBytes<64>;

}  // namespace tessera::crypto
