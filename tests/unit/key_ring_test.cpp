// Master-key rotation (crypto/key_ring, MasterKey::fingerprint): which
// sub-key checks what a numbered master key made, and the fingerprint that
// names a master key in the database.
#include "crypto/key_ring.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/base64url.hpp"
#include "crypto/master_key.hpp"

namespace tessera::crypto {
namespace {

using domain::MasterKeyId;

// bytes 0..31, with and without padding (as in sub_key_test).
constexpr const char* kUnpaddedKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
constexpr const char* kPaddedKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

MasterKey master_key_of(char fill) {
  return MasterKey::parse(base64url_encode(std::string(32, fill))).value();
}

SubKey token_key_of(char fill) {
  return master_key_of(fill).derive(KeyPurpose::token_hash);
}

std::string hex_of(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out += digits[byte >> 4];
    out += digits[byte & 0xf];
  }
  return out;
}

std::string bytes_of(const SubKey& key) {
  return std::string(reinterpret_cast<const char*>(key.data()), key.size());
}

TEST(SubKeyRingTest, FindsTheCurrentAndEachPreviousKeyByTheirNumbers) {
  SubKeyRing ring(token_key_of('c'), MasterKeyId{3});
  ring.add_previous(MasterKeyId{1}, token_key_of('a'));
  ring.add_previous(MasterKeyId{2}, token_key_of('b'));

  EXPECT_EQ(ring.current_id(), MasterKeyId{3});
  EXPECT_EQ(ring.current(), token_key_of('c'));
  ASSERT_NE(ring.find(MasterKeyId{3}), nullptr);
  EXPECT_EQ(*ring.find(MasterKeyId{3}), token_key_of('c'));
  ASSERT_NE(ring.find(MasterKeyId{1}), nullptr);
  EXPECT_EQ(*ring.find(MasterKeyId{1}), token_key_of('a'));
  ASSERT_NE(ring.find(MasterKeyId{2}), nullptr);
  EXPECT_EQ(*ring.find(MasterKeyId{2}), token_key_of('b'));
}

// What an unconfigured master key made must not verify or open under some
// other key: find says there is no key rather than falling back.
TEST(SubKeyRingTest, FindsNoKeyForANumberNoConfiguredMasterKeyHas) {
  SubKeyRing ring(token_key_of('c'), MasterKeyId{2});
  ring.add_previous(MasterKeyId{1}, token_key_of('a'));
  EXPECT_EQ(ring.find(MasterKeyId{3}), nullptr);
  EXPECT_EQ(ring.find(MasterKeyId{0}), nullptr);
  EXPECT_EQ(ring.find(MasterKeyId{-1}), nullptr);
}

TEST(SubKeyRingTest, NumbersItsOnlyKeyAsTheFirstMasterKeyByDefault) {
  const SubKeyRing ring(token_key_of('c'));
  EXPECT_EQ(ring.current_id(), domain::kFirstMasterKey);
  ASSERT_NE(ring.find(domain::kFirstMasterKey), nullptr);
  EXPECT_EQ(*ring.find(domain::kFirstMasterKey), token_key_of('c'));
  EXPECT_EQ(ring.find(MasterKeyId{2}), nullptr);
}

TEST(MasterKeyRingTest, DerivesEachMasterKeysOwnSubKeyUnderItsNumber) {
  const MasterKeyRing masters(
      {MasterKeyId{5}, master_key_of('c')},
      {{MasterKeyId{1}, master_key_of('a')}, {MasterKeyId{4}, master_key_of('b')}});
  for (const auto purpose : {KeyPurpose::client_secret_hash, KeyPurpose::admin_key_hash,
                             KeyPurpose::token_hash, KeyPurpose::signing_key_seal}) {
    SCOPED_TRACE(static_cast<int>(purpose));
    const SubKeyRing ring = masters.derive(purpose);
    EXPECT_EQ(ring.current_id(), MasterKeyId{5});
    EXPECT_EQ(ring.current(), master_key_of('c').derive(purpose));
    ASSERT_NE(ring.find(MasterKeyId{1}), nullptr);
    EXPECT_EQ(*ring.find(MasterKeyId{1}), master_key_of('a').derive(purpose));
    ASSERT_NE(ring.find(MasterKeyId{4}), nullptr);
    EXPECT_EQ(*ring.find(MasterKeyId{4}), master_key_of('b').derive(purpose));
    EXPECT_EQ(ring.find(MasterKeyId{2}), nullptr);
  }
}

TEST(MasterKeyFingerprintTest, IsSixteenBytesAndTheSameForTheSameKeyText) {
  const auto unpadded = MasterKey::parse(kUnpaddedKey).value();
  const auto padded = MasterKey::parse(kPaddedKey).value();
  EXPECT_EQ(unpadded.fingerprint().size(), 16u);
  EXPECT_EQ(unpadded.fingerprint(), unpadded.fingerprint());
  EXPECT_EQ(unpadded.fingerprint(), padded.fingerprint());
}

TEST(MasterKeyFingerprintTest, DiffersBetweenKeys) {
  const std::vector<MasterKey> keys = {MasterKey::parse(kUnpaddedKey).value(), master_key_of('a'),
                                       master_key_of('b'), master_key_of('\0')};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    for (std::size_t j = i + 1; j < keys.size(); ++j) {
      EXPECT_NE(keys[i].fingerprint(), keys[j].fingerprint()) << i << " and " << j;
    }
  }
}

// The fingerprint is stored in the clear (table master_keys) and printed by
// `tessera rekey`: it must not be any part of a sub-key that keys hashes or
// seals signing keys.
TEST(MasterKeyFingerprintTest, IsNoSubKeyOfItsKeyNorThePrefixOfOne) {
  const auto key = MasterKey::parse(kUnpaddedKey).value();
  const std::string fingerprint = key.fingerprint();
  for (const auto purpose : {KeyPurpose::client_secret_hash, KeyPurpose::admin_key_hash,
                             KeyPurpose::token_hash, KeyPurpose::signing_key_seal}) {
    SCOPED_TRACE(static_cast<int>(purpose));
    const std::string sub_key = bytes_of(key.derive(purpose));
    EXPECT_NE(sub_key.substr(0, fingerprint.size()), fingerprint);
    EXPECT_EQ(sub_key.find(fingerprint), std::string::npos);
  }
}

// Computed independently with Python's hashlib.blake2b following
// crypto_kdf_derive_from_key's definition (key = the master key, salt = id 1
// little-endian, personal = "tskeyfp_", 16-byte digest); the same
// computation reproduces sub_key_test's pinned token_hash sub-key. Every
// stored row names its master key by this value: were the derivation to
// change, no row would find its key again.
TEST(MasterKeyFingerprintTest, IsTheKnownAnswerForAFixedKey) {
  const auto key = MasterKey::parse(kUnpaddedKey).value();
  EXPECT_EQ(hex_of(key.fingerprint()), "e78221203fd0b6eee4e8277f4360a54a");
}

}  // namespace
}  // namespace tessera::crypto
