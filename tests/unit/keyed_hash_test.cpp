#include "crypto/keyed_hash.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "crypto/base64url.hpp"
#include "crypto/master_key.hpp"

namespace tessera::crypto {
namespace {

MasterKey master_key_of(char fill) {
  return MasterKey::parse(base64url_encode(std::string(32, fill))).value();
}

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 0xf];
  }
  return out;
}

TEST(KeyedHashTest, IsThirtyTwoBytesAndDeterministicPerKey) {
  const SubKey key = master_key_of('a').derive(KeyPurpose::client_secret_hash);
  const std::string first = keyed_hash(key, "a generated secret");
  EXPECT_EQ(first.size(), 32u);
  EXPECT_EQ(keyed_hash(key, "a generated secret"), first);
  EXPECT_EQ(keyed_hash(key, "").size(), 32u);
}

TEST(KeyedHashTest, DiffersAcrossValues) {
  const SubKey key = master_key_of('a').derive(KeyPurpose::client_secret_hash);
  EXPECT_NE(keyed_hash(key, "secret-1"), keyed_hash(key, "secret-2"));
  EXPECT_NE(keyed_hash(key, "secret"), keyed_hash(key, std::string("secret\0", 7)));
}

TEST(KeyedHashTest, DiffersAcrossMasterKeys) {
  const SubKey a = master_key_of('a').derive(KeyPurpose::token_hash);
  const SubKey b = master_key_of('b').derive(KeyPurpose::token_hash);
  EXPECT_NE(keyed_hash(a, "the same token"), keyed_hash(b, "the same token"));
}

TEST(KeyedHashTest, DiffersAcrossDerivationPurposes) {
  const MasterKey master = master_key_of('a');
  std::set<std::string> hashes;
  for (KeyPurpose purpose : {KeyPurpose::client_secret_hash, KeyPurpose::admin_key_hash,
                             KeyPurpose::token_hash, KeyPurpose::signing_key_seal}) {
    hashes.insert(keyed_hash(master.derive(purpose), "the same value"));
  }
  EXPECT_EQ(hashes.size(), 4u);
}

TEST(MasterKeyTest, DerivesTheSameSubKeyFromTheSameKeyText) {
  const std::string text = base64url_encode(std::string(32, 'k'));
  EXPECT_EQ(MasterKey::parse(text)->derive(KeyPurpose::admin_key_hash),
            MasterKey::parse(text + "=")->derive(KeyPurpose::admin_key_hash));
}

// The derivation contexts must never change (SPEC §2: changing one invalidates
// every stored hash), so their output is pinned here. Expected values come from
// an independent BLAKE2b (Python hashlib) following crypto_kdf's definition.
TEST(MasterKeyTest, KeepsTheDerivationContextsStable) {
  const MasterKey master = MasterKey::parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8").value();
  struct Case {
    KeyPurpose purpose;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {KeyPurpose::client_secret_hash,
       "23ac02d13bd714249e89f9d9c97a0e7fc1561c76d4984386cbe6efc8909222a2"},
      {KeyPurpose::admin_key_hash,
       "4028e135c6642811142f0a284aa7a9f038d1fecd39c989f24f4fd963c4d0aff1"},
      {KeyPurpose::token_hash, "2252ddf38b9aa46654249fe26b821d385d422942d5da194c2e617bbadf2b7cb0"},
      {KeyPurpose::signing_key_seal,
       "85681a8fc81cc6d8a1cca455fcdd52ef27ba5ba3dd01716498af1854b67e2904"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.expected);
    EXPECT_EQ(hex(keyed_hash(master.derive(c.purpose), "example-secret")), c.expected);
  }
}

TEST(MasterKeyTest, RefusesKeysThatAreNot32Bytes) {
  EXPECT_FALSE(MasterKey::parse("").has_value());
  EXPECT_FALSE(MasterKey::parse(base64url_encode(std::string(31, 'k'))).has_value());
  EXPECT_FALSE(MasterKey::parse(base64url_encode(std::string(33, 'k'))).has_value());
  EXPECT_FALSE(MasterKey::parse(std::string(43, '!')).has_value());
}

TEST(ConstantTimeEqualTest, ComparesContent) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("same bytes", "same bytes"));
  EXPECT_FALSE(constant_time_equal("same bytes", "same bytez"));
  EXPECT_FALSE(constant_time_equal("Xame bytes", "same bytes"));
  EXPECT_TRUE(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(ConstantTimeEqualTest, TreatsDifferentLengthsAsUnequal) {
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_FALSE(constant_time_equal("abcd", "abc"));
  EXPECT_FALSE(constant_time_equal("", "a"));
  EXPECT_FALSE(constant_time_equal("abc", std::string("abc\0", 4)));
}

}  // namespace
}  // namespace tessera::crypto
