// Sub-keys of the master key (SPEC §2, §5): the bytes they hold, which
// stored hashes and sealed signing keys depend on, and where they live.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "crypto/master_key.hpp"

namespace tessera::crypto {
namespace {

// bytes 0..31
constexpr const char* kMasterKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

std::string hex_of(const SubKey& key) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < key.size(); ++i) {
    out += digits[key.data()[i] >> 4];
    out += digits[key.data()[i] & 0xf];
  }
  return out;
}

// Pinned with the std::array sub-keys of commit d10abdf (and an independent
// BLAKE2b, Python hashlib, following crypto_kdf's definition): where a
// sub-key is kept must never change what it is.
TEST(SubKeyTest, DerivesTheSameBytesAsBeforeItMovedToGuardedMemory) {
  const MasterKey master = MasterKey::parse(kMasterKey).value();
  struct Case {
    KeyPurpose purpose;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {KeyPurpose::client_secret_hash,
       "3804c29ccfe493c54371199810ecb4c8e303a5ad3df0124e8f423a1a40225df8"},
      {KeyPurpose::admin_key_hash,
       "f2a38f517b723dc84846f142bd31d422d95ba8044d89cff8febeec1081794149"},
      {KeyPurpose::token_hash, "f2d6c580801bed16c373e4c5dfc8e5409f4cb575550886377c303da4511c70fe"},
      {KeyPurpose::signing_key_seal,
       "2b9443e82732f2c8c091f8ca8ab893bcb0de638e68a6c5e0c8b1386e79ad8387"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.expected);
    const SubKey key = master.derive(c.purpose);
    ASSERT_EQ(key.size(), 32u);
    EXPECT_EQ(hex_of(key), c.expected);
  }
}

SubKey token_key() {
  return MasterKey::parse(kMasterKey)->derive(KeyPurpose::token_hash);
}

TEST(SubKeyTest, KeepsItsBytesOutsideTheObjectThatIsCopiedAround) {
  const SubKey key = token_key();
  const auto* object = reinterpret_cast<const unsigned char*>(&key);
  EXPECT_TRUE(key.data() < object || key.data() >= object + sizeof key);
}

TEST(SubKeyTest, SharesOneCopyOfItsBytesBetweenCopies) {
  const SubKey key = token_key();
  const SubKey copy = key;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.data(), key.data());
  SubKey assigned = MasterKey::parse(kMasterKey)->derive(KeyPurpose::admin_key_hash);
  assigned = key;
  EXPECT_EQ(assigned.data(), key.data());
}

TEST(SubKeyTest, OutlivesTheKeyItWasCopiedFrom) {
  const std::string expected = hex_of(token_key());
  std::vector<SubKey> kept;
  {
    const SubKey original = token_key();
    kept.push_back(original);
  }
  EXPECT_EQ(hex_of(kept.front()), expected);
}

TEST(SubKeyTest, ComparesByContent) {
  EXPECT_TRUE(token_key() == token_key());
  EXPECT_FALSE(token_key() == MasterKey::parse(kMasterKey)->derive(KeyPurpose::admin_key_hash));
}

// sodium_malloc puts a guard page right after the 32 bytes and
// sodium_mprotect_readonly forbids writes once the key is derived: a stray
// write or an overread crashes instead of leaking or corrupting the key.
TEST(SubKeyDeathTest, CrashesOnAWriteToTheKey) {
  const SubKey key = token_key();
  EXPECT_DEATH(const_cast<volatile unsigned char*>(key.data())[0] = 0, "");
}

TEST(SubKeyDeathTest, CrashesOnAReadPastTheEndOfTheKey) {
  const SubKey key = token_key();
  const volatile unsigned char* bytes = key.data();
  EXPECT_DEATH(
      {
        unsigned sum = 0;
        for (std::size_t i = 0; i < 4096; ++i) sum += bytes[key.size() + i];
        volatile unsigned sink = sum;
        (void)sink;
        std::exit(0);
      },
      "");
}

}  // namespace
}  // namespace tessera::crypto
