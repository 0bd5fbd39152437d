#include "http/oauth_params.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "domain/oauth_error.hpp"
#include "http/request.hpp"

namespace tessera::http {
namespace {

using domain::OAuthError;
using domain::OAuthErrorCode;

const std::vector<std::string> kFields = {"grant_type", "scope",     "audience",     "aud",
                                          "resource",   "client_id", "client_secret"};
const std::vector<std::string> kRepeatable = {"resource"};

constexpr const char* kForm = "application/x-www-form-urlencoded";
constexpr const char* kJson = "application/json";

Request request(std::optional<std::string> content_type, std::string body) {
  Request out;
  out.method = "POST";
  out.path = "/t/acme/oauth/token";
  if (content_type) out.headers.emplace_back("content-type", *content_type);
  out.body = std::move(body);
  return out;
}

OAuthParams parse(const std::optional<std::string>& content_type, const std::string& body) {
  return parse_oauth_params(request(content_type, body), kFields, kRepeatable);
}

// The error code parse_oauth_params throws, or "none".
std::string error_of(const std::optional<std::string>& content_type, const std::string& body) {
  try {
    parse(content_type, body);
  } catch (const OAuthError& error) {
    EXPECT_EQ(error.status(), 400);
    return domain::to_string(error.code());
  }
  return "none";
}

TEST(ParseOAuthParamsTest, DecodesAFormBody) {
  const auto params = parse(kForm,
                            "grant_type=client_credentials&scope=read+write&client_id=a%2Bb%20c"
                            "&client_secret=s%25%26%3D");
  EXPECT_EQ(params.get("grant_type"), "client_credentials");
  EXPECT_EQ(params.get("scope"), "read write");
  EXPECT_EQ(params.get("client_id"), "a+b c");
  EXPECT_EQ(params.get("client_secret"), "s%&=");
  EXPECT_EQ(params.get("audience"), std::nullopt);
}

TEST(ParseOAuthParamsTest, RefusesAMalformedFormEncoding) {
  EXPECT_EQ(error_of(kForm, "grant_type=client_credentials&scope=%zz"), "invalid_request");
  EXPECT_EQ(error_of(kForm, "grant_type=client_credentials&scope=a%2"), "invalid_request");
}

TEST(ParseOAuthParamsTest, IgnoresMediaTypeParametersAndCase) {
  struct Case {
    std::string content_type;
    std::string body;
  };
  const std::vector<Case> cases = {
      {"application/x-www-form-urlencoded; charset=UTF-8", "scope=a"},
      {"application/x-www-form-urlencoded;charset=utf-8", "scope=a"},
      {"APPLICATION/X-WWW-FORM-URLENCODED", "scope=a"},
      {"application/json; charset=utf-8", R"({"scope":"a"})"},
      {"Application/JSON", R"({"scope":"a"})"},
      {"  application/json ; charset=utf-8", R"({"scope":"a"})"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.content_type);
    EXPECT_EQ(parse(c.content_type, c.body).get("scope"), "a");
  }
}

TEST(ParseOAuthParamsTest, RefusesARepeatedFormParameter) {
  for (const std::string body : {
           "scope=a&scope=b", "scope=a&scope=a",
           "grant_type=client_credentials&client_id=x&grant_type=client_credentials",
           "client_id=x&client_id=",
           "extra=1&extra=2",  // unknown names count too
       }) {
    SCOPED_TRACE(body);
    EXPECT_EQ(error_of(kForm, body), "invalid_request");
  }
}

TEST(ParseOAuthParamsTest, KeepsEveryValueOfARepeatableParameter) {
  const auto params = parse(kForm, "resource=https%3A%2F%2Fa&resource=https%3A%2F%2Fb");
  EXPECT_EQ(params.all("resource"), (std::vector<std::string>{"https://a", "https://b"}));
  EXPECT_EQ(params.get("resource"), "https://a");
}

TEST(ParseOAuthParamsTest, KeepsAtMostTwoDistinctValuesOfARepeatableParameter) {
  // A second distinct resource already means invalid_target (RFC 8707);
  // thousands of them must not cost memory before authentication.
  std::string body =
      "grant_type=client_credentials&resource=https%3A%2F%2Fa&resource=https%3A%2F%2Fa";
  for (int i = 0; i < 4000; ++i) body += "&resource=https%3A%2F%2Fr" + std::to_string(i);
  const auto params = parse(kForm, body);
  EXPECT_EQ(params.all("resource"), (std::vector<std::string>{"https://a", "https://r0"}));
  EXPECT_EQ(params.get("grant_type"), "client_credentials");
}

TEST(ParseOAuthParamsTest, KeepsOnlyTheKnownFields) {
  const auto params = parse(kForm, "grant_type=client_credentials&extra=1&token=x");
  EXPECT_EQ(params.get("extra"), std::nullopt);
  EXPECT_EQ(params.get("token"), std::nullopt);
  EXPECT_EQ(params.get("grant_type"), "client_credentials");
}

TEST(ParseOAuthParamsTest, CountsEmptyValuesAsOmitted) {
  const auto form = parse(kForm, "grant_type=client_credentials&scope=&audience&client_id=");
  EXPECT_EQ(form.get("grant_type"), "client_credentials");
  EXPECT_EQ(form.get("scope"), std::nullopt);
  EXPECT_EQ(form.get("audience"), std::nullopt);
  EXPECT_EQ(form.get("client_id"), std::nullopt);
  EXPECT_TRUE(form.all("scope").empty());

  const auto json = parse(kJson, R"({"grant_type":"client_credentials","scope":""})");
  EXPECT_EQ(json.get("grant_type"), "client_credentials");
  EXPECT_EQ(json.get("scope"), std::nullopt);
}

TEST(ParseOAuthParamsTest, ReadsStringMembersOfAJsonBody) {
  const auto params = parse(
      kJson, R"({"grant_type":"client_credentials","scope":"read write","aud":"https://api"})");
  EXPECT_EQ(params.get("grant_type"), "client_credentials");
  EXPECT_EQ(params.get("scope"), "read write");
  EXPECT_EQ(params.get("aud"), "https://api");
  EXPECT_EQ(params.get("client_id"), std::nullopt);
}

TEST(ParseOAuthParamsTest, RefusesAKnownJsonMemberThatIsNotAString) {
  for (const std::string body : {
           R"({"grant_type":"client_credentials","scope":1})",
           R"({"grant_type":"client_credentials","scope":1.5})",
           R"({"grant_type":true})",
           R"({"grant_type":"client_credentials","client_secret":false})",
           R"({"grant_type":"client_credentials","resource":["https://a"]})",
           R"({"grant_type":"client_credentials","audience":{"id":"x"}})",
           R"({"grant_type":"client_credentials","client_id":[]})",
       }) {
    SCOPED_TRACE(body);
    EXPECT_EQ(error_of(kJson, body), "invalid_request");
  }
}

// SPEC §3: a known member must be a string; null is another type.
TEST(ParseOAuthParamsTest, RefusesAJsonNullForAKnownField) {
  try {
    parse(kJson, R"({"grant_type":"client_credentials","scope":null})");
    FAIL() << "expected invalid_request";
  } catch (const domain::OAuthError& e) {
    EXPECT_EQ(e.code(), domain::OAuthErrorCode::invalid_request);
  }
}

TEST(ParseOAuthParamsTest, IgnoresUnknownJsonMembersOfAnyType) {
  const auto params = parse(kJson, R"({"grant_type":"client_credentials","n":1,"b":true,)"
                                   R"("list":[1,"x"],"obj":{"scope":2},"nothing":null,"s":"v"})");
  EXPECT_EQ(params.get("grant_type"), "client_credentials");
  EXPECT_EQ(params.get("scope"), std::nullopt);
  EXPECT_EQ(params.get("s"), std::nullopt);
}

TEST(ParseOAuthParamsTest, RefusesADuplicateJsonMember) {
  for (const std::string body : {
           R"({"scope":"a","scope":"b"})",
           R"({"scope":"a","scope":"a"})",
           R"({"grant_type":"client_credentials","extra":1,"extra":2})",
       }) {
    SCOPED_TRACE(body);
    EXPECT_EQ(error_of(kJson, body), "invalid_request");
  }
}

TEST(ParseOAuthParamsTest, RefusesAJsonBodyThatIsNotAnObject) {
  for (const std::string body :
       {R"(["grant_type","client_credentials"])", R"("text")", "1", "null", "true"}) {
    SCOPED_TRACE(body);
    EXPECT_EQ(error_of(kJson, body), "invalid_request");
  }
}

TEST(ParseOAuthParamsTest, RefusesMalformedJson) {
  for (const std::string body : {"", "{", R"({"scope":"a",})", "{'scope':'a'}",
                                 R"({"scope":"a"} trailing)", "grant_type=client_credentials"}) {
    SCOPED_TRACE(body);
    EXPECT_EQ(error_of(kJson, body), "invalid_request");
  }
}

TEST(ParseOAuthParamsTest, RefusesAnotherOrMissingContentType) {
  const std::string body = "grant_type=client_credentials";
  for (const std::optional<std::string>& content_type :
       {std::optional<std::string>{}, std::optional<std::string>{""},
        std::optional<std::string>{"text/plain"}, std::optional<std::string>{"multipart/form-data"},
        std::optional<std::string>{"application/xml"},
        std::optional<std::string>{"application/jsonp"},
        std::optional<std::string>{"application/x-www-form-urlencoded-x"}}) {
    SCOPED_TRACE(content_type.value_or("(none)"));
    EXPECT_EQ(error_of(content_type, body), "invalid_request");
  }
}

TEST(ParseOAuthParamsTest, RefusesControlCharactersAndInvalidUtf8) {
  // SPEC §6: such bytes would be cut off by libpq (NUL), refused by
  // PostgreSQL (invalid UTF-8) or forge log lines (controls).
  struct Case {
    std::string name;
    const char* content_type;
    std::string body;
  };
  const std::vector<Case> cases = {
      {"NUL in a form value", kForm, "grant_type=client_credentials&client_id=abc%00x"},
      {"NUL in a form name", kForm, "grant_type=client_credentials&client%00id=abc"},
      {"raw NUL in a form value", kForm, std::string("grant_type=client_credentials\0", 30)},
      {"CR LF in the scope", kForm, "grant_type=client_credentials&scope=read%0d%0awrite"},
      {"tab in the scope", kForm, "grant_type=client_credentials&scope=read%09write"},
      {"escape in an unknown form field", kForm, "grant_type=client_credentials&x=%1b[31m"},
      {"invalid UTF-8 in a form value", kForm, "grant_type=client_credentials&client_id=%ff%fe"},
      {"overlong UTF-8", kForm, "grant_type=client_credentials&client_id=%c0%af"},
      {"C1 control", kForm, "grant_type=client_credentials&client_id=a%c2%85"},
      {"escaped NUL in JSON", kJson,
       R"({"grant_type":"client_credentials","client_id":"abc\u0000x"})"},
      {"escaped escape in JSON", kJson,
       R"({"grant_type":"client_credentials","scope":"\u001b[31m"})"},
      {"NUL after the JSON", kJson, std::string(R"({"grant_type":"client_credentials"})") + '\0'},
      {"NUL between members", kJson,
       std::string(R"({"grant_type":"client_credentials",)") + '\0' + R"("scope":"a"})"},
      {"raw invalid UTF-8 in JSON", kJson,
       "{\"grant_type\":\"client_credentials\",\"scope\":\"\xff\"}"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(error_of(c.content_type, c.body), "invalid_request") << c.name;
  }
}

TEST(ParseOAuthParamsTest, KeepsCleanUnicodeAndIgnoresUnknownJsonMembers) {
  const auto form = parse(kForm, "grant_type=client_credentials&scope=caf%C3%A9");
  EXPECT_EQ(form.get("scope"), "caf\xc3\xa9");
  // Unknown JSON members are ignored whatever they hold (SPEC §3).
  const auto json = parse(kJson, R"({"grant_type":"client_credentials","x":"\u0000"})");
  EXPECT_EQ(json.get("grant_type"), "client_credentials");
}

}  // namespace
}  // namespace tessera::http
