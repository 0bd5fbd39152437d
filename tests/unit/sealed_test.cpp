#include "crypto/sealed.hpp"

#include <gtest/gtest.h>

#include <string>

#include "crypto/base64url.hpp"
#include "crypto/master_key.hpp"

namespace tessera::crypto {
namespace {

SubKey seal_key_of(char fill) {
  return MasterKey::parse(base64url_encode(std::string(32, fill)))
      .value()
      .derive(KeyPurpose::signing_key_seal);
}

const std::string kPlaintext = "a 64-byte private key, or anything else worth keeping secret";
const std::string kTenant7 = "tessera-signing-key:7:kid-1";

TEST(SealTest, RoundTripsThroughOpenSealed) {
  const SubKey key = seal_key_of('s');
  const std::string sealed = seal(key, kPlaintext, kTenant7);
  EXPECT_EQ(open_sealed(key, sealed, kTenant7), kPlaintext);
}

TEST(SealTest, RoundTripsEmptyPlaintextAndBinaryBytes) {
  const SubKey key = seal_key_of('s');
  EXPECT_EQ(open_sealed(key, seal(key, "", ""), ""), std::string());
  const std::string binary("\0\xff\x01\x80", 4);
  EXPECT_EQ(open_sealed(key, seal(key, binary, kTenant7), kTenant7), binary);
}

TEST(SealTest, NeverContainsThePlaintextAndUsesAFreshNonceEachTime) {
  const SubKey key = seal_key_of('s');
  const std::string first = seal(key, kPlaintext, kTenant7);
  const std::string second = seal(key, kPlaintext, kTenant7);
  EXPECT_NE(first, second);
  EXPECT_EQ(first.find(kPlaintext), std::string::npos);
  // 24-byte nonce + ciphertext + 16-byte tag.
  EXPECT_EQ(first.size(), 24 + kPlaintext.size() + 16);
}

TEST(OpenSealedTest, RefusesAnyFlippedByte) {
  const SubKey key = seal_key_of('s');
  const std::string sealed = seal(key, kPlaintext, kTenant7);
  // Nonce, ciphertext and tag: every part is authenticated.
  for (std::size_t at : {std::size_t{0}, std::size_t{23}, std::size_t{24}, std::size_t{40},
                         sealed.size() - 16, sealed.size() - 1}) {
    SCOPED_TRACE(at);
    std::string tampered = sealed;
    tampered[at] = static_cast<char>(tampered[at] ^ 0x01);
    EXPECT_FALSE(open_sealed(key, tampered, kTenant7).has_value());
  }
}

TEST(OpenSealedTest, RefusesOtherAssociatedData) {
  const SubKey key = seal_key_of('s');
  const std::string sealed = seal(key, kPlaintext, kTenant7);
  EXPECT_FALSE(open_sealed(key, sealed, "tessera-signing-key:8:kid-1").has_value());
  EXPECT_FALSE(open_sealed(key, sealed, "tessera-signing-key:7:kid-2").has_value());
  EXPECT_FALSE(open_sealed(key, sealed, "").has_value());
  EXPECT_FALSE(open_sealed(key, sealed, kTenant7 + " ").has_value());
}

TEST(OpenSealedTest, RefusesAnotherKey) {
  const std::string sealed = seal(seal_key_of('s'), kPlaintext, kTenant7);
  EXPECT_FALSE(open_sealed(seal_key_of('t'), sealed, kTenant7).has_value());
  const SubKey other_purpose = MasterKey::parse(base64url_encode(std::string(32, 's')))
                                   .value()
                                   .derive(KeyPurpose::token_hash);
  EXPECT_FALSE(open_sealed(other_purpose, sealed, kTenant7).has_value());
}

TEST(OpenSealedTest, RefusesTruncatedOrExtendedInput) {
  const SubKey key = seal_key_of('s');
  const std::string sealed = seal(key, kPlaintext, kTenant7);
  for (std::size_t length : {std::size_t{0}, std::size_t{10}, std::size_t{24}, std::size_t{39},
                             std::size_t{40}, sealed.size() - 1}) {
    SCOPED_TRACE(length);
    EXPECT_FALSE(open_sealed(key, sealed.substr(0, length), kTenant7).has_value());
  }
  EXPECT_FALSE(open_sealed(key, sealed + "x", kTenant7).has_value());
}

TEST(OpenSealedIntoTest, OpensAValueOfExactlyTheGivenSizeInPlace) {
  const SubKey key = seal_key_of('s');
  const std::string sealed = seal(key, kPlaintext, kTenant7);
  std::string out(kPlaintext.size(), '?');
  ASSERT_TRUE(open_sealed_into(key, sealed, kTenant7, reinterpret_cast<unsigned char*>(out.data()),
                               out.size()));
  EXPECT_EQ(out, kPlaintext);
}

// Whatever fails, the caller's buffer holds no part of a plaintext and
// nothing it held before.
TEST(OpenSealedIntoTest, LeavesTheBufferZeroedWhenItDoesNotOpen) {
  const SubKey key = seal_key_of('s');
  const std::string sealed = seal(key, kPlaintext, kTenant7);
  auto tampered = sealed;
  tampered[30] = static_cast<char>(tampered[30] ^ 1);
  struct Case {
    const char* name;
    const SubKey& key;
    std::string sealed;
    std::string associated;
    std::size_t size;
  };
  const SubKey other = seal_key_of('t');
  const Case cases[] = {
      {"another key", other, sealed, kTenant7, kPlaintext.size()},
      {"other associated data", key, sealed, "tessera-signing-key:8:kid-1", kPlaintext.size()},
      {"tampered", key, tampered, kTenant7, kPlaintext.size()},
      {"a larger buffer", key, sealed, kTenant7, kPlaintext.size() + 1},
      {"a smaller buffer", key, sealed, kTenant7, kPlaintext.size() - 1},
      {"truncated", key, sealed.substr(0, 20), kTenant7, kPlaintext.size()},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::string out(c.size, '?');
    EXPECT_FALSE(open_sealed_into(c.key, c.sealed, c.associated,
                                  reinterpret_cast<unsigned char*>(out.data()), out.size()));
    EXPECT_EQ(out, std::string(c.size, '\0'));
  }
}

}  // namespace
}  // namespace tessera::crypto
