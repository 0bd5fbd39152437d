#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessera::crypto {

// What a sub-key of the master key is for. Each purpose has a fixed
// crypto_kdf context and id that must never change: changing one would
// invalidate every hash or sealed key made with it.
enum class KeyPurpose { client_secret_hash, admin_key_hash, token_hash, signing_key_seal };

using SubKey = std::array<unsigned char, 32>;

// TESSERA_MASTER_KEY: 32 bytes from which every other key is derived.
class MasterKey {
 public:
  // base64url of exactly 32 bytes, with or without '=' padding.
  static std::optional<MasterKey> parse(std::string_view text);

  SubKey derive(KeyPurpose purpose) const;

 private:
  explicit MasterKey(const std::string& bytes);
  std::array<unsigned char, 32> bytes_{};
};

}  // namespace tessera::crypto
