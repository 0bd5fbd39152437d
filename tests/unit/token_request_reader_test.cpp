#include "endpoints/token_request_reader.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/oauth_error.hpp"

namespace tessera::endpoints {

using grants::AuthMethod;
namespace {

using domain::OAuthError;
using http::OAuthParams;
using http::ParsedAuthorization;
using Kind = ParsedAuthorization::Kind;
using Pairs = std::vector<std::pair<std::string, std::string>>;

OAuthParams params(const Pairs& pairs) {
  OAuthParams out;
  for (const auto& [name, value] : pairs) out.add(name, value);
  return out;
}

std::string describe(const Pairs& pairs) {
  std::string out;
  for (const auto& [name, value] : pairs) out += (out.empty() ? "" : "&") + name + "=" + value;
  return out;
}

ParsedAuthorization no_authorization() {
  return {};
}

ParsedAuthorization basic(const std::string& id, const std::string& secret) {
  ParsedAuthorization out;
  out.kind = Kind::basic;
  out.credentials = {id, secret};
  return out;
}

// The error read_token_request throws, as "code status", or "none".
std::string error_of(const Pairs& pairs, const ParsedAuthorization& authorization) {
  try {
    read_token_request(params(pairs), authorization);
  } catch (const OAuthError& error) {
    return std::string(domain::to_string(error.code())) + " " + std::to_string(error.status());
  }
  return "none";
}

const std::pair<std::string, std::string> kGrant{"grant_type", "client_credentials"};

TEST(ReadTokenRequestTest, TakesCredentialsFromBasicAlone) {
  const auto request = read_token_request(params({kGrant}), basic("client-a", "secret-a"));
  EXPECT_EQ(request.grant_type, "client_credentials");
  EXPECT_EQ(request.auth_method, AuthMethod::client_secret_basic);
  EXPECT_EQ(request.client_id, "client-a");
  EXPECT_EQ(request.client_secret, "secret-a");
}

TEST(ReadTokenRequestTest, TakesCredentialsFromTheBodyAlone) {
  const auto request =
      read_token_request(params({kGrant, {"client_id", "client-a"}, {"client_secret", "secret-a"}}),
                         no_authorization());
  EXPECT_EQ(request.auth_method, AuthMethod::client_secret_post);
  EXPECT_EQ(request.client_id, "client-a");
  EXPECT_EQ(request.client_secret, "secret-a");
}

TEST(ReadTokenRequestTest, LeavesTheClientEmptyWithoutCredentials) {
  const auto request = read_token_request(params({kGrant}), no_authorization());
  EXPECT_EQ(request.auth_method, AuthMethod::none);
  EXPECT_EQ(request.client_id, "");
  EXPECT_EQ(request.client_secret, "");
}

// RFC 6749 §2.3: one authentication method per request.
TEST(ReadTokenRequestTest, RefusesBasicTogetherWithABodySecret) {
  EXPECT_EQ(error_of({kGrant, {"client_secret", "secret-a"}}, basic("client-a", "secret-a")),
            "invalid_request 400");
  EXPECT_EQ(error_of({kGrant, {"client_id", "client-a"}, {"client_secret", "other"}},
                     basic("client-a", "secret-a")),
            "invalid_request 400");
}

TEST(ReadTokenRequestTest, AcceptsABodyClientIdThatMatchesBasic) {
  const auto request = read_token_request(params({kGrant, {"client_id", "client-a"}}),
                                          basic("client-a", "secret-a"));
  EXPECT_EQ(request.auth_method, AuthMethod::client_secret_basic);
  EXPECT_EQ(request.client_id, "client-a");
  EXPECT_EQ(request.client_secret, "secret-a");
}

TEST(ReadTokenRequestTest, RefusesABodyClientIdThatDiffersFromBasic) {
  EXPECT_EQ(error_of({kGrant, {"client_id", "client-b"}}, basic("client-a", "secret-a")),
            "invalid_request 400");
  EXPECT_EQ(error_of({kGrant, {"client_id", "Client-A"}}, basic("client-a", "secret-a")),
            "invalid_request 400");
}

TEST(ReadTokenRequestTest, RequiresAGrantType) {
  EXPECT_EQ(error_of({{"scope", "read"}}, basic("client-a", "secret-a")), "invalid_request 400");
  EXPECT_EQ(error_of({}, no_authorization()), "invalid_request 400");
}

TEST(ReadTokenRequestTest, LeavesAnUnsupportedGrantTypeForALaterCheck) {
  const auto request =
      read_token_request(params({{"grant_type", "password"}}), basic("client-a", "secret-a"));
  EXPECT_EQ(request.grant_type, "password");
}

TEST(ReadTokenRequestTest, PassesTheScopeThrough) {
  EXPECT_EQ(
      read_token_request(params({kGrant, {"scope", "read, write"}}), no_authorization()).scope,
      "read, write");
  EXPECT_EQ(read_token_request(params({kGrant}), no_authorization()).scope, std::nullopt);
}

TEST(ReadTokenRequestTest, RefusesAMalformedAuthorizationHeader) {
  ParsedAuthorization malformed;
  malformed.kind = Kind::malformed;
  EXPECT_EQ(error_of({kGrant}, malformed), "invalid_request 400");
  EXPECT_EQ(error_of({kGrant, {"client_id", "a"}, {"client_secret", "b"}}, malformed),
            "invalid_request 400");
}

TEST(ReadTokenRequestTest, RefusesAnotherSchemeAsAnInvalidClient) {
  ParsedAuthorization bearer;
  bearer.kind = Kind::other;
  bearer.scheme = "bearer";
  EXPECT_EQ(error_of({kGrant}, bearer), "invalid_client 401");
}

TEST(ReadTokenRequestTest, ReadsAudienceAudAndResourceAsSynonyms) {
  struct Case {
    std::string name;
    Pairs pairs;
    std::optional<std::string> audience;
    std::vector<std::string> distinct_resources;
  };
  const std::string a = "https://a.example.com";
  const std::string b = "https://b.example.com";
  const std::vector<Case> cases = {
      {"none", {}, std::nullopt, {}},
      {"audience", {{"audience", a}}, a, {}},
      {"aud", {{"aud", a}}, a, {}},
      {"resource", {{"resource", a}}, a, {a}},
      {"audience and aud agree", {{"audience", a}, {"aud", a}}, a, {}},
      {"audience and resource agree", {{"audience", a}, {"resource", a}}, a, {a}},
      {"aud and resource agree", {{"aud", a}, {"resource", a}}, a, {a}},
      {"resource repeated with one value", {{"resource", a}, {"resource", a}}, a, {a}},
      {"two resources", {{"resource", a}, {"resource", b}}, std::nullopt, {a, b}},
      {"two resources and an audience",
       {{"audience", a}, {"resource", a}, {"resource", b}},
       a,
       {a, b}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Pairs pairs = c.pairs;
    pairs.push_back(kGrant);
    const auto request = read_token_request(params(pairs), no_authorization());
    EXPECT_EQ(request.audience, c.audience);
    EXPECT_EQ(request.distinct_resources, c.distinct_resources);
  }
}

TEST(ReadTokenRequestTest, KeepsTheFirstOfEachResourceInOrderAmongThousands) {
  // Runs before authentication on a stranger's input: the de-duplication is
  // a hash set (linear), measured in bench/hot_path.cpp.
  Pairs pairs{kGrant};
  std::vector<std::string> expected;
  for (int i = 0; i < 4000; ++i) {
    const auto value = "https://r" + std::to_string(i) + ".example.com";
    pairs.emplace_back("resource", value);
    if (i % 3 == 0) pairs.emplace_back("resource", value);
    expected.push_back(value);
  }
  const auto request = read_token_request(params(pairs), no_authorization());
  EXPECT_EQ(request.distinct_resources, expected);
  EXPECT_EQ(request.audience, std::nullopt);
}

TEST(ReadTokenRequestTest, RefusesAudienceSynonymsThatDisagree) {
  const std::string a = "https://a.example.com";
  const std::string b = "https://b.example.com";
  for (const Pairs& pairs : std::vector<Pairs>{
           {{"audience", a}, {"aud", b}},
           {{"audience", a}, {"resource", b}},
           {{"aud", a}, {"resource", b}},
           {{"audience", a}, {"aud", a}, {"resource", b}},
           // Step 2 of SPEC §3.1 comes before the grant type check (step 4).
           {{"grant_type", "password"}, {"audience", a}, {"aud", b}},
       }) {
    SCOPED_TRACE(describe(pairs));
    Pairs with_grant = pairs;
    if (with_grant.front().first != "grant_type") with_grant.push_back(kGrant);
    EXPECT_EQ(error_of(with_grant, no_authorization()), "invalid_request 400");
  }
}

}  // namespace
}  // namespace tessera::endpoints
