// Lower-case hexadecimal (crypto/hex), as UUID text, bytea literals and
// migration checksums use it.
#include "crypto/hex.hpp"

#include <gtest/gtest.h>

#include "crypto/uuid7.hpp"

namespace tessera::crypto {
namespace {

TEST(HexTest, WritesEveryByteAsTwoLowerCaseDigits) {
  EXPECT_EQ(to_hex(""), "");
  EXPECT_EQ(to_hex(std::string("\x00\x01\x7f\x80\xab\xff", 6)), "00017f80abff");
  std::string out = "\\x";
  append_hex(out, "AZ");
  EXPECT_EQ(out, "\\x415a");
  EXPECT_EQ(out.size(), 6u);  // no NUL left behind
}

TEST(HexTest, UuidTextGroupsTheDigitsEightFourFourFourTwelve) {
  Uuid id{};
  for (std::size_t i = 0; i < id.size(); ++i) id[i] = static_cast<unsigned char>(i * 17);
  EXPECT_EQ(uuid_text(id), "00112233-4455-6677-8899-aabbccddeeff");
  EXPECT_EQ(parse_uuid(uuid_text(id)), id);
}

}  // namespace
}  // namespace tessera::crypto
