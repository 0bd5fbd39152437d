#include "crypto/base64url.hpp"

#include <gtest/gtest.h>

namespace tessera::crypto {
namespace {

TEST(Base64UrlTest, EncodesWithoutPaddingInTheUrlAlphabet) {
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff", 2)), "-_8");
  EXPECT_EQ(base64url_encode(""), "");
}

TEST(Base64UrlTest, DecodesWithOrWithoutPadding) {
  EXPECT_EQ(base64url_decode("-_8").value(), std::string("\xfb\xff", 2));
  EXPECT_EQ(base64url_decode("-_8=").value(), std::string("\xfb\xff", 2));
}

TEST(Base64UrlTest, RefusesCharactersOutsideTheAlphabet) {
  EXPECT_FALSE(base64url_decode("+/8").has_value());
  EXPECT_FALSE(base64url_decode("ab cd").has_value());
}

}  // namespace
}  // namespace tessera::crypto

namespace tessera::crypto {
namespace {

// libsodium 1.0.18 alone would read a byte >= 0x80 as a valid character.
TEST(Base64UrlTest, RefusesBytesAboveAscii) {
  EXPECT_FALSE(base64url_decode("ab\xff"
                                "d")
                   .has_value());
  EXPECT_FALSE(base64_decode("YWJj\x80").has_value());
}

}  // namespace
}  // namespace tessera::crypto
