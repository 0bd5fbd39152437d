#include "crypto/signing_keys.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

#include "crypto/base64url.hpp"
#include "crypto/master_key.hpp"
#include "crypto/sealed.hpp"

namespace tessera::crypto {
namespace {

SubKey seal_key_of(char fill) {
  return MasterKey::parse(base64url_encode(std::string(32, fill)))
      .value()
      .derive(KeyPurpose::signing_key_seal);
}

const domain::TenantId kTenant{7};

TEST(MakeSigningKeyTest, HasAThirtyTwoBytePublicKeyAndTheRequestedState) {
  const auto key =
      make_signing_key(SubKeyRing(seal_key_of('k')), kTenant, domain::SigningKeyState::active);
  EXPECT_EQ(key.public_key.size(), 32u);
  EXPECT_EQ(key.state, domain::SigningKeyState::active);
  EXPECT_FALSE(key.kid.empty());
  const auto next =
      make_signing_key(SubKeyRing(seal_key_of('k')), kTenant, domain::SigningKeyState::next);
  EXPECT_EQ(next.state, domain::SigningKeyState::next);
  EXPECT_NE(next.kid, key.kid);
  EXPECT_NE(next.public_key, key.public_key);
}

TEST(MakeSigningKeyTest, SealsAPrivateKeyWhoseLastHalfIsThePublicKey) {
  const SubKey seal_key = seal_key_of('k');
  const auto key = make_signing_key(SubKeyRing(seal_key), kTenant, domain::SigningKeyState::active);
  auto opened =
      open_sealed(seal_key, key.sealed_private_key, signing_key_associated_data(kTenant, key.kid));
  ASSERT_TRUE(opened.has_value());
  ASSERT_EQ(opened->size(), 64u);
  EXPECT_EQ(opened->substr(32), key.public_key);
  EXPECT_EQ(key.sealed_private_key.find(*opened), std::string::npos);

  // The pair works: a signature made with the opened key verifies with the public key.
  const std::string message = "header.payload";
  unsigned char signature[crypto_sign_BYTES];
  ASSERT_EQ(crypto_sign_detached(
                signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                message.size(), reinterpret_cast<const unsigned char*>(opened->data())),
            0);
  EXPECT_EQ(crypto_sign_verify_detached(
                signature, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                reinterpret_cast<const unsigned char*>(key.public_key.data())),
            0);
}

TEST(MakeSigningKeyTest, OpensOnlyWithTheSameTenantAndKid) {
  const SubKey seal_key = seal_key_of('k');
  const auto key = make_signing_key(SubKeyRing(seal_key), kTenant, domain::SigningKeyState::next);
  const auto& sealed = key.sealed_private_key;
  EXPECT_FALSE(
      open_sealed(seal_key, sealed, signing_key_associated_data(domain::TenantId{8}, key.kid))
          .has_value());
  EXPECT_FALSE(open_sealed(seal_key, sealed, signing_key_associated_data(kTenant, key.kid + "x"))
                   .has_value());
  EXPECT_FALSE(
      open_sealed(seal_key, sealed, signing_key_associated_data(kTenant, "other")).has_value());
  EXPECT_FALSE(open_sealed(seal_key_of('z'), sealed, signing_key_associated_data(kTenant, key.kid))
                   .has_value());
}

TEST(OpenSigningKeyTest, OpensIntoGuardedMemoryTheKeyThatWasSealed) {
  const SubKey seal_key = seal_key_of('k');
  const auto key = make_signing_key(SubKeyRing(seal_key), kTenant, domain::SigningKeyState::active);
  const auto opened = open_signing_key(seal_key, kTenant, key.kid, key.sealed_private_key);
  ASSERT_TRUE(opened.has_value());
  const auto expected =
      open_sealed(seal_key, key.sealed_private_key, signing_key_associated_data(kTenant, key.kid));
  ASSERT_TRUE(expected.has_value());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(opened->data()), opened->size()), *expected);

  const std::string message = "header.payload";
  unsigned char signature[crypto_sign_BYTES];
  ASSERT_EQ(crypto_sign_detached(signature, nullptr,
                                 reinterpret_cast<const unsigned char*>(message.data()),
                                 message.size(), opened->data()),
            0);
  EXPECT_EQ(crypto_sign_verify_detached(
                signature, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                reinterpret_cast<const unsigned char*>(key.public_key.data())),
            0);
}

TEST(OpenSigningKeyTest, OpensOnlyWithTheSameTenantKidAndSealingKey) {
  const SubKey seal_key = seal_key_of('k');
  const auto key = make_signing_key(SubKeyRing(seal_key), kTenant, domain::SigningKeyState::active);
  const auto& sealed = key.sealed_private_key;
  ASSERT_TRUE(open_signing_key(seal_key, kTenant, key.kid, sealed).has_value());
  EXPECT_FALSE(open_signing_key(seal_key, domain::TenantId{8}, key.kid, sealed).has_value());
  EXPECT_FALSE(open_signing_key(seal_key, kTenant, key.kid + "x", sealed).has_value());
  EXPECT_FALSE(open_signing_key(seal_key_of('z'), kTenant, key.kid, sealed).has_value());
  auto tampered = sealed;
  tampered.back() = static_cast<char>(tampered.back() ^ 1);
  EXPECT_FALSE(open_signing_key(seal_key, kTenant, key.kid, tampered).has_value());
  EXPECT_FALSE(open_signing_key(seal_key, kTenant, key.kid, "").has_value());
  EXPECT_FALSE(open_signing_key(seal_key, kTenant, key.kid, sealed.substr(0, sealed.size() - 1))
                   .has_value());
}

// A sealed value of another size opens with open_sealed, but is no key.
TEST(OpenSigningKeyTest, RefusesASealedValueOfAnotherSize) {
  const SubKey seal_key = seal_key_of('k');
  const std::string ad = signing_key_associated_data(kTenant, "kid");
  for (const std::size_t size : {32u, 63u, 65u, 96u}) {
    const auto sealed = seal(seal_key, std::string(size, 'x'), ad);
    ASSERT_TRUE(open_sealed(seal_key, sealed, ad).has_value());
    EXPECT_FALSE(open_signing_key(seal_key, kTenant, "kid", sealed).has_value()) << size;
  }
}

TEST(SigningKeyAssociatedDataTest, DistinguishesTenantsAndKids) {
  EXPECT_NE(signing_key_associated_data(domain::TenantId{1}, "abc"),
            signing_key_associated_data(domain::TenantId{2}, "abc"));
  EXPECT_NE(signing_key_associated_data(domain::TenantId{1}, "abc"),
            signing_key_associated_data(domain::TenantId{1}, "abd"));
  // Tenant 1 with kid "2x" must not collide with tenant 12 with kid "x".
  EXPECT_NE(signing_key_associated_data(domain::TenantId{1}, "2x"),
            signing_key_associated_data(domain::TenantId{12}, "x"));
  EXPECT_EQ(signing_key_associated_data(domain::TenantId{1}, "abc"),
            signing_key_associated_data(domain::TenantId{1}, "abc"));
}

}  // namespace
}  // namespace tessera::crypto
