#include "crypto/password_hash.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tessera::crypto {
namespace {

// Each Argon2id call takes tens of milliseconds: one hash, a few checks.
TEST(PasswordHashTest, VerifiesTheRightSecretAndRefusesOthers) {
  const std::string secret = "an imported secret chosen by a person, 32+ chars";
  const std::string stored = password_hash(secret);
  EXPECT_EQ(stored.rfind("$argon2id$", 0), 0u) << stored;
  EXPECT_EQ(stored.find(secret), std::string::npos);
  EXPECT_TRUE(password_verify(stored, secret));
  EXPECT_FALSE(password_verify(stored, secret + "x"));
  EXPECT_FALSE(password_verify(stored, ""));
}

TEST(PasswordHashTest, RefusesAStoredValueThatIsNotAnArgon2Hash) {
  EXPECT_FALSE(password_verify("", "secret"));
  EXPECT_FALSE(password_verify("$argon2id$garbage", "secret"));
  EXPECT_FALSE(password_verify("secret", "secret"));
}

}  // namespace
}  // namespace tessera::crypto
