#include "domain/validation.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace tessera::domain {
namespace {

struct Case {
  std::string input;
  bool valid;
};

// 253 characters in labels of at most 63: the longest DNS name.
std::string longest_domain() {
  return std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
         std::string(61, 'd');
}

TEST(IsValidSlugTest, FollowsTheSlugPattern) {
  const std::vector<Case> cases = {
      {"ab", true},
      {"acme", true},
      {"acme-corp", true},
      {"0a", true},
      {"42", true},
      {"a-", true},
      {"a--b", true},
      {std::string(63, 'a'), true},
      {"", false},
      {"a", false},
      {std::string(64, 'a'), false},
      {"-acme", false},
      {"Acme", false},
      {"acmE", false},
      {"ac_me", false},
      {"ac.me", false},
      {"ac me", false},
      {"ac/me", false},
      {"ac%me", false},
      {"acm\xc3\xa9", false},
      {std::string("ac\0me", 5), false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(is_valid_slug(c.input), c.valid);
  }
}

TEST(IsValidScopeValueTest, AllowsOneTo128OfTheScopeCharacters) {
  const std::vector<Case> cases = {
      {"a", true},
      {"read", true},
      {"read:users", true},
      {"https://api.example.com/read", true},
      {"*", true},
      {"Admin_2.v1-beta", true},
      {std::string(128, 'x'), true},
      {"", false},
      {std::string(129, 'x'), false},
      {"read write", false},
      {"read,write", false},
      {"read\twrite", false},
      {"read\n", false},
      {"a+b", false},
      {"a=b", false},
      {"a\"b", false},
      {"a#b", false},
      {"a?b", false},
      {"a%20b", false},
      {"sc\xc3\xb6pe", false},
      {std::string("a\0", 2), false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(is_valid_scope_value(c.input), c.valid);
  }
}

TEST(IsValidTtlTest, AcceptsOneSecondToThirtyDays) {
  struct TtlCase {
    std::int64_t seconds;
    bool valid;
  };
  const std::vector<TtlCase> cases = {
      {1, true},
      {3600, true},
      {2'592'000, true},
      {0, false},
      {-1, false},
      {2'592'001, false},
      {std::numeric_limits<std::int64_t>::max(), false},
      {std::numeric_limits<std::int64_t>::min(), false},
      // Would wrap to 1 if the value were narrowed to 32 bits.
      {(std::int64_t{1} << 32) + 1, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.seconds);
    EXPECT_EQ(is_valid_ttl(c.seconds), c.valid);
  }
}

TEST(IsValidNameTest, AllowsOneTo200CharactersWithoutControls) {
  const std::vector<Case> cases = {
      {"x", true},
      {"Acme Inc.", true},
      {"Billing service (prod) #2", true},
      {"Caf\xc3\xa9 \xe2\x9c\x93", true},
      {" leading and trailing ", true},
      {std::string(200, 'n'), true},
      {"", false},
      {std::string(201, 'n'), false},
      {"line\nbreak", false},
      {"carriage\rreturn", false},
      {"tab\there", false},
      {"escape\x1b[31m", false},
      {"delete\x7f", false},
      {std::string("nul\0", 4), false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(is_valid_name(c.input), c.valid);
  }
}

TEST(IsValidApiIdentifierTest, AllowsOneTo512PrintableCharactersWithoutSpaces) {
  const std::vector<Case> cases = {
      {"https://api.example.com", true},
      {"https://api.example.com/v1?x=1#frag", true},
      {"urn:example:billing", true},
      {"billing-api", true},
      {"a", true},
      {std::string(512, 'i'), true},
      {"", false},
      {std::string(513, 'i'), false},
      {"billing api", false},
      {" billing", false},
      {"billing\t", false},
      {"billing\n", false},
      {"billing\x7f", false},
      {std::string("bil\0ling", 8), false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(is_valid_api_identifier(c.input), c.valid);
  }
}

TEST(IsValidDomainTest, AllowsHostNamesWithoutPorts) {
  const std::vector<Case> cases = {
      {"acme.example.com", true},
      {"localhost", true},
      {"ACME.Example.COM", true},
      {"a-b.c", true},
      {"xn--bcher-kva.example", true},
      {"10.0.0.1", true},
      {longest_domain(), true},
      {"", false},
      {longest_domain() + "d", false},
      {".acme.com", false},
      {"acme.com.", false},
      {"-acme.com", false},
      {"acme.com-", false},
      {"acme..com", false},
      {"acme.com:8080", false},
      {"acme_corp.com", false},
      {"acme corp.com", false},
      {"acme.com/", false},
      {"*.acme.com", false},
      {"[::1]", false},
      {"b\xc3\xbc"
       "cher.example",
       false},
      {"user@acme.com", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(is_valid_domain(c.input), c.valid);
  }
}

TEST(NormalizeDomainTest, LowerCasesLettersOnly) {
  EXPECT_EQ(normalize_domain("ACME.Example.Com"), "acme.example.com");
  EXPECT_EQ(normalize_domain("acme-2.example.com"), "acme-2.example.com");
  EXPECT_EQ(normalize_domain("XN--BCHER-KVA.EXAMPLE"), "xn--bcher-kva.example");
  EXPECT_EQ(normalize_domain(""), "");
}

TEST(IsAbsoluteUriTest, RequiresASchemeAndNoFragment) {
  const std::vector<Case> cases = {
      {"https://api.example.com", true},
      {"http://localhost:8080/path?query=1", true},
      {"urn:example:api", true},
      {"mailto:ops@example.com", true},
      {"coap+tcp://device.example", true},
      {"x-my.scheme:thing", true},
      {"HTTPS://API.EXAMPLE.COM", true},
      {"", false},
      {"api.example.com", false},
      {"/relative/path", false},
      {"//api.example.com", false},
      {":no-scheme", false},
      {"https:", false},
      {"1http://x", false},
      {"-http://x", false},
      {"ht_tp://x", false},
      {"ht tp://x", false},
      {"https://api.example.com/a b", false},
      {"https://api.example.com/\n", false},
      {"https://api.example.com/\x7f", false},
      {"https://api.example.com/#fragment", false},
      {"https://api.example.com#", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(is_absolute_uri(c.input), c.valid);
  }
}

// The server fetches a jwks_uri, so only over TLS, and only a URL with a host.
TEST(JwksUriTest, AcceptsHttpsUrlsWithAHostOnly) {
  EXPECT_TRUE(is_valid_jwks_uri("https://keys.example/jwks.json"));
  EXPECT_TRUE(is_valid_jwks_uri("https://keys.example:8443/.well-known/jwks.json?v=2"));
  EXPECT_TRUE(is_valid_jwks_uri("https://k.example/" + std::string(2048 - 18, 'a')));
  EXPECT_FALSE(is_valid_jwks_uri("https://k.example/" + std::string(2048 - 17, 'a')));
  for (const char* bad : {"http://keys.example/jwks", "HTTPS://keys.example/", "https://",
                          "https:///jwks", "https://?x", "https://keys.example/a b",
                          "https://keys.example/#frag", "ftp://keys.example/", "keys.example",
                          "https://keys.example/\x7f", "https://k\xc3\xa9ys.example/"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(is_valid_jwks_uri(bad));
  }
}

TEST(ParseDecimalIdTest, AcceptsOneToEighteenDigitsOnly) {
  EXPECT_EQ(parse_decimal_id("0"), 0);
  EXPECT_EQ(parse_decimal_id("42"), 42);
  EXPECT_EQ(parse_decimal_id("999999999999999999"), 999999999999999999);
  EXPECT_EQ(parse_decimal_id(""), std::nullopt);
  EXPECT_EQ(parse_decimal_id("1000000000000000000"), std::nullopt);  // 19 digits
  EXPECT_EQ(parse_decimal_id("-1"), std::nullopt);
  EXPECT_EQ(parse_decimal_id("+1"), std::nullopt);
  EXPECT_EQ(parse_decimal_id(" 1"), std::nullopt);
  EXPECT_EQ(parse_decimal_id("1a"), std::nullopt);
  EXPECT_EQ(parse_decimal_id("https://api.test"), std::nullopt);
}

}  // namespace
}  // namespace tessera::domain
