#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/guarded_key.hpp"

namespace tessera::crypto {

// What a sub-key of the master key is for. Each purpose has a fixed
// crypto_kdf context and id that must never change: changing one would
// invalidate every hash or sealed key made with it.
enum class KeyPurpose {
  client_secret_hash,
  admin_key_hash,
  token_hash,
  signing_key_seal,
  dpop_nonce,
};

// A key derived from the master key for one purpose. Copies share one
// guarded region, so handing it to every service costs no further copy of
// the key.
using SubKey = GuardedKey;

// TESSERA_MASTER_KEY: 32 bytes from which every other key is derived.
class MasterKey {
 public:
  // base64url of exactly 32 bytes, with or without '=' padding.
  static std::optional<MasterKey> parse(std::string_view text);

  SubKey derive(KeyPurpose purpose) const;

  // 16 bytes that name this key in the database (table master_keys) and in
  // `tessera rekey`'s report: derived with its own crypto_kdf context, so
  // they tell nothing about the key or its sub-keys.
  std::string fingerprint() const;

 private:
  explicit MasterKey(GuardedKey bytes) : bytes_(std::move(bytes)) {}
  GuardedKey bytes_;
};

}  // namespace tessera::crypto
