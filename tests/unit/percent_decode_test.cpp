#include "http/percent_decode.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tessera::http {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(PercentDecodeTest, DecodesHexEscapesInEitherCase) {
  struct Case {
    std::string input;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"", ""},
      {"plain", "plain"},
      {"%41", "A"},
      {"a%2Fb", "a/b"},
      {"a%2fb", "a/b"},
      {"%25", "%"},
      {"%2525", "%25"},
      {"%00", std::string(1, '\0')},
      {"%C3%A9", "\xc3\xa9"},
      {"%ff", "\xff"},
      {"%20%2B", " +"},
      {"%41%42%43", "ABC"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(percent_decode(c.input, false), c.expected);
    EXPECT_EQ(percent_decode(c.input, true), c.expected);
  }
}

TEST(PercentDecodeTest, RefusesATruncatedOrNonHexEscape) {
  for (const std::string input :
       {"%", "%4", "%zz", "%4g", "%g4", "a%", "a%4", "%%", "%%41", "%-1", "% 1", "ok%2", "%41%"}) {
    SCOPED_TRACE(input);
    EXPECT_FALSE(percent_decode(input, false).has_value());
    EXPECT_FALSE(percent_decode(input, true).has_value());
  }
}

TEST(PercentDecodeTest, DecodesPlusAsSpaceOnlyWhenAsked) {
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("++", true), "  ");
  // An encoded plus is always a plus.
  EXPECT_EQ(percent_decode("a%2Bb", true), "a+b");
  EXPECT_EQ(percent_decode("a%2Bb", false), "a+b");
}

TEST(PercentEncodeTest, LeavesUnreservedCharactersAlone) {
  const std::string unreserved =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  EXPECT_EQ(percent_encode(unreserved), unreserved);
  EXPECT_EQ(percent_encode(""), "");
}

TEST(PercentEncodeTest, EncodesReservedAndNonAsciiBytesInUpperCaseHex) {
  struct Case {
    std::string input;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {" ", "%20"},
      {"+", "%2B"},
      {"%", "%25"},
      {"/", "%2F"},
      {":", "%3A"},
      {"?", "%3F"},
      {"#", "%23"},
      {"&", "%26"},
      {"=", "%3D"},
      {"@", "%40"},
      {"!*'();$,[]", "%21%2A%27%28%29%3B%24%2C%5B%5D"},
      {"\xc3\xa9", "%C3%A9"},
      {std::string(1, '\0'), "%00"},
      {"\x7f", "%7F"},
      {"https://api.example.com/v1", "https%3A%2F%2Fapi.example.com%2Fv1"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(percent_encode(c.input), c.expected);
  }
}

TEST(PercentEncodeTest, RoundTripsThroughPercentDecode) {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
  EXPECT_EQ(percent_decode(percent_encode(every_byte), false), every_byte);
  EXPECT_EQ(percent_decode(percent_encode(every_byte), true), every_byte);
}

TEST(ParseFormTest, KeepsOrderAndDecodesNamesAndValues) {
  struct Case {
    std::string input;
    Pairs expected;
  };
  const std::vector<Case> cases = {
      {"", {}},
      {"grant_type=client_credentials", {{"grant_type", "client_credentials"}}},
      {"b=2&a=1", {{"b", "2"}, {"a", "1"}}},
      {"scope=read+write&x%20y=a%2Bb", {{"scope", "read write"}, {"x y", "a+b"}}},
      {"resource=a&resource=b", {{"resource", "a"}, {"resource", "b"}}},
      {"a=1&a=1", {{"a", "1"}, {"a", "1"}}},
      {"a", {{"a", ""}}},
      {"a=", {{"a", ""}}},
      {"a=b=c", {{"a", "b=c"}}},
      {"a=1&&b=2", {{"a", "1"}, {"b", "2"}}},
      {"&a=1&", {{"a", "1"}}},
      {"&&&", {}},
      {"redirect=https%3A%2F%2Fx%2F%3Fq%3D1%26r%3D2", {{"redirect", "https://x/?q=1&r=2"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    auto parsed = parse_form(c.input);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, c.expected);
  }
}

TEST(ParseFormTest, RefusesAMalformedEncodingAnywhere) {
  for (const std::string input :
       {"a=%", "a=%4", "a=%zz", "%zz=1", "%=1", "a=1&b=%G0", "a=1&%", "ok=1&bad%2=x"}) {
    SCOPED_TRACE(input);
    EXPECT_FALSE(parse_form(input).has_value());
  }
}

}  // namespace
}  // namespace tessera::http
