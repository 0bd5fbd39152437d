// Key material in libsodium's guarded memory (crypto/guarded_key): what a
// holder of any size keeps, that its copies share one region, and that the
// last copy gives the region back. The 32-byte sub-keys have their own
// tests (sub_key_test.cpp); these use the 64-byte Ed25519 secret key that
// the directory opens for each JWT tenant.
#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "crypto/ed25519.hpp"
#include "crypto/guarded_key.hpp"

namespace tessera::crypto {
namespace {

// A fresh key pair's secret half, in guarded memory; `pair` keeps both
// halves for the test to check against.
Ed25519SecretKey guarded_secret_of(const Ed25519KeyPair& pair) {
  return Ed25519SecretKey::make(
      [&](unsigned char* out) { std::copy(pair.secret_key.begin(), pair.secret_key.end(), out); });
}

// What the process has mapped: sodium_malloc maps each region with its
// guard pages, and sodium_free unmaps them, after zeroing the region.
int memory_mappings() {
  std::ifstream maps("/proc/self/maps");
  int lines = 0;
  for (std::string line; std::getline(maps, line);) ++lines;
  return lines;
}

TEST(GuardedBytesTest, HoldsWhatWasWrittenAndSignsWithIt) {
  const auto pair = ed25519_generate();
  const auto secret = guarded_secret_of(pair);
  ASSERT_EQ(secret.size(), 64u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(secret.data()), secret.size()),
            pair.secret_key);
  const std::string message = "header.payload";
  unsigned char signature[crypto_sign_BYTES];
  ASSERT_EQ(crypto_sign_detached(signature, nullptr,
                                 reinterpret_cast<const unsigned char*>(message.data()),
                                 message.size(), secret.data()),
            0);
  EXPECT_EQ(crypto_sign_verify_detached(
                signature, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                reinterpret_cast<const unsigned char*>(pair.public_key.data())),
            0);
}

TEST(GuardedBytesTest, KeepsItsBytesOutsideTheObjectAndSharesThemBetweenCopies) {
  const auto secret = guarded_secret_of(ed25519_generate());
  const auto* object = reinterpret_cast<const unsigned char*>(&secret);
  EXPECT_TRUE(secret.data() < object || secret.data() >= object + sizeof secret);
  const Ed25519SecretKey copy = secret;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.data(), secret.data());
  EXPECT_TRUE(copy == secret);
  EXPECT_FALSE(copy == guarded_secret_of(ed25519_generate()));
}

TEST(GuardedBytesTest, TheLastCopyGivesTheMemoryBack) {
  constexpr int kKeys = 64;
  const auto pair = ed25519_generate();
  const int before = memory_mappings();
  std::vector<Ed25519SecretKey> keys;
  for (int i = 0; i < kKeys; ++i) keys.push_back(guarded_secret_of(pair));
  const int held = memory_mappings();
  EXPECT_GE(held - before, 2 * kKeys);  // guard pages around each region

  // Copies keep the regions: dropping the originals frees nothing.
  std::vector<Ed25519SecretKey> copies = keys;
  keys.clear();
  EXPECT_GE(memory_mappings(), held);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(copies.back().data()), 64), pair.secret_key);

  copies.clear();
  EXPECT_GE(held - memory_mappings(), 2 * kKeys);
}

TEST(GuardedBytesTest, ChargesWholePagesAroundARegion) {
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  EXPECT_EQ(guarded_footprint(64), 4 * page);
  EXPECT_EQ(guarded_footprint(32), 4 * page);
  EXPECT_EQ(guarded_footprint(page), 5 * page);  // the canary spills over
}

// Read-only once written: a stray write crashes instead of changing the key.
TEST(GuardedBytesDeathTest, CrashesOnAWriteToTheKey) {
  const auto secret = guarded_secret_of(ed25519_generate());
  EXPECT_DEATH(const_cast<volatile unsigned char*>(secret.data())[63] = 0, "");
}

}  // namespace
}  // namespace tessera::crypto
