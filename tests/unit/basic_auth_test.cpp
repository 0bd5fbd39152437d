#include "http/basic_auth.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "crypto/base64url.hpp"

namespace tessera::http {
namespace {

using Kind = ParsedAuthorization::Kind;

// Standard base64 with padding (RFC 4648 §4), as HTTP Basic sends it.
std::string base64(const std::string& bytes) {
  std::string out = crypto::base64url_encode(bytes);
  for (auto& c : out) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (out.size() % 4 != 0) out += '=';
  return out;
}

TEST(ParseAuthorizationTest, ReportsNoHeaderAsNone) {
  EXPECT_EQ(parse_authorization(std::nullopt).kind, Kind::none);
}

TEST(ParseAuthorizationTest, DecodesBasicCredentials) {
  const auto parsed = parse_authorization("Basic " + base64("my-client:my-secret"));
  ASSERT_EQ(parsed.kind, Kind::basic);
  EXPECT_EQ(parsed.credentials.client_id, "my-client");
  EXPECT_EQ(parsed.credentials.client_secret, "my-secret");
}

TEST(ParseAuthorizationTest, MatchesTheSchemeCaseInsensitively) {
  for (const std::string scheme : {"Basic", "basic", "BASIC", "bAsIc"}) {
    SCOPED_TRACE(scheme);
    const auto parsed = parse_authorization(scheme + " " + base64("id:secret"));
    ASSERT_EQ(parsed.kind, Kind::basic);
    EXPECT_EQ(parsed.credentials.client_id, "id");
    EXPECT_EQ(parsed.credentials.client_secret, "secret");
  }
}

// RFC 6749 §2.3.1: both halves are form-urlencoded before base64.
TEST(ParseAuthorizationTest, FormDecodesBothHalves) {
  struct Case {
    std::string pair;
    std::string id;
    std::string secret;
  };
  const std::vector<Case> cases = {
      {"a%3Ab:secret", "a:b", "secret"},
      {"id:s%3Ac%3ar", "id", "s:c:r"},
      {"my+client:my+secret", "my client", "my secret"},
      {"100%25:50%25off", "100%", "50%off"},
      {"a%2Bb:c%2bd", "a+b", "c+d"},
      {"%C3%A9t%C3%A9:x", "\xc3\xa9t\xc3\xa9", "x"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.pair);
    const auto parsed = parse_authorization("Basic " + base64(c.pair));
    ASSERT_EQ(parsed.kind, Kind::basic);
    EXPECT_EQ(parsed.credentials.client_id, c.id);
    EXPECT_EQ(parsed.credentials.client_secret, c.secret);
  }
}

TEST(ParseAuthorizationTest, SplitsAtTheFirstColonSoTheSecretMayContainColons) {
  const auto parsed = parse_authorization("Basic " + base64("client:sec:ret:"));
  ASSERT_EQ(parsed.kind, Kind::basic);
  EXPECT_EQ(parsed.credentials.client_id, "client");
  EXPECT_EQ(parsed.credentials.client_secret, "sec:ret:");
}

TEST(ParseAuthorizationTest, ReportsMalformedBasicCredentials) {
  struct Case {
    std::string name;
    std::string header;
  };
  const std::vector<Case> cases = {
      {"no colon", "Basic " + base64("client-and-secret")},
      {"not base64", "Basic !!!not-base64!!!"},
      {"base64url alphabet", "Basic " + crypto::base64url_encode("\xfb\xff:?>")},
      {"truncated base64", "Basic " + base64("client:secret").substr(1)},
      {"broken escape in id", "Basic " + base64("cli%zzent:secret")},
      {"broken escape in secret", "Basic " + base64("client:secret%4")},
      {"lone percent", "Basic " + base64("client:%")},
      {"scheme alone", "Basic"},
      {"scheme and spaces", "Basic    "},
      {"empty credentials", "Basic "},
      // SPEC §6: decoded halves must be clean text.
      {"bytes that are not UTF-8", "Basic //46/Q=="},
      {"NUL in the id", "Basic " + base64("cli%00ent:secret")},
      {"raw NUL in the id", "Basic " + base64(std::string("cli\0ent:secret", 14))},
      {"carriage return in the secret", "Basic " + base64("client:sec%0dret")},
      {"C1 control in the id", "Basic " + base64("cli%C2%85ent:secret")},
      {"invalid UTF-8 in the secret", "Basic " + base64("client:%ff")},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(parse_authorization(c.header).kind, Kind::malformed);
  }
}

TEST(ParseAuthorizationTest, ReportsOtherSchemesAsOther) {
  const auto parsed = parse_authorization("Bearer tsat_abc");
  EXPECT_EQ(parsed.kind, Kind::other);
  EXPECT_EQ(parsed.scheme, "bearer");
  EXPECT_EQ(parse_authorization("Digest username=\"x\"").kind, Kind::other);
}

}  // namespace
}  // namespace tessera::http
