// Client authentication at the token endpoint (SPEC §3.1 check 3, §6):
// every failure answers the same 401, failures are rate-limited without
// locking the right secret out, and no answer or log line ever shows a
// secret or a token.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "e2e/token_fixture.hpp"

namespace tessera::test {
namespace {

const std::string& kGrant = kClientCredentials;

// Fails fewer authentications from 127.0.0.1 than the per-address limit
// tolerates (SPEC §6: at least 20 a minute).
class TokenAuthenticationE2eTest : public TokenSuite<TokenAuthenticationE2eTest> {};

// --- Every failure looks the same ---------------------------------------------------

TEST_F(TokenAuthenticationE2eTest, EveryFailedAuthenticationGetsTheSame401) {
  // A client that worked, then disabled.
  const auto disabled = fx().create_client(fx().slug, "Disabled", "");
  fx().grant(fx().slug, disabled, fx().api_id, {"read"});
  ASSERT_TRUE(IsToken(post_token(token_url(), kGrant, {basic_auth(disabled)}), "read"));
  ASSERT_TRUE(IsJsonAnswer(
      fx().admin().patch("/tenants/acme/clients/" + disabled.id, {{"status", "disabled"}}), 200));

  // A tenant whose client worked, then the tenant deleted (disabled).
  fx().create_tenant("gone", {});
  const auto gone_api = fx().create_api("gone", "https://gone.test", {"read"}, true);
  const auto gone = fx().create_client("gone", "Gone", "");
  fx().grant("gone", gone, gone_api, {"read"});
  ASSERT_TRUE(IsToken(post_token(token_url("gone"), kGrant, {basic_auth(gone)}), "read"));
  ASSERT_EQ(fx().admin().del("/tenants/gone").status, 204);

  struct Failure {
    std::string name;
    std::string slug;
    TokenClient client;
  };
  const std::vector<Failure> failures = {
      {"unknown client", "acme", {"cl_doesnotexist0000000000", fx().main.secret, ""}},
      {"wrong secret", "acme", {fx().main.id, fx().ungranted.secret, ""}},
      {"wrong imported secret", "acme", {fx().imported.id, kImportedSecret + "x", ""}},
      {"disabled client", "acme", disabled},
      {"disabled tenant", "gone", gone},
  };
  std::set<std::string> bodies;
  for (const auto& f : failures) {
    SCOPED_TRACE(f.name);
    const auto by_basic = post_token(token_url(f.slug), kGrant, {basic_auth(f.client)});
    EXPECT_TRUE(IsInvalidClient(by_basic, true));
    const auto by_body = post_token(token_url(f.slug), kGrant + post_credentials(f.client));
    EXPECT_TRUE(IsInvalidClient(by_body, false));
    bodies.insert(by_basic.body);
    bodies.insert(by_body.body);
  }
  EXPECT_EQ(bodies.size(), 1u) << "the answers tell the failures apart";
}

TEST_F(TokenAuthenticationE2eTest, NoCredentialsOrAnEmptySecretIs401InvalidClient) {
  EXPECT_TRUE(IsOAuthError(post_token(token_url(), kGrant), 401, "invalid_client"));
  EXPECT_TRUE(
      IsInvalidClient(post_token(token_url(), kGrant + "&client_id=" + fx().main.id), false));
  EXPECT_TRUE(IsInvalidClient(
      post_token(token_url(), kGrant + "&client_id=" + fx().main.id + "&client_secret="), false));
  EXPECT_TRUE(
      IsInvalidClient(post_token(token_url(), kGrant, {basic_auth(fx().main.id, "")}), true));
}

// --- Secrets and tokens stay out of answers and logs ----------------------------

TEST_F(TokenAuthenticationE2eTest, NoErrorBodyOrLogLineShowsASecretOrAToken) {
  const auto& main = fx().main;
  const auto issued = post_token(token_url(), kGrant, {basic_auth(main)});
  ASSERT_TRUE(IsToken(issued, "read write"));
  const auto token = access_token_of(issued);
  const std::string wrong = "wrong-secret-that-must-not-leak-0123456789";

  const std::vector<HttpResult> errors = {
      post_token(token_url(), kGrant, {basic_auth(main.id, wrong)}),
      post_token(token_url(), kGrant + "&client_id=" + main.id + "&client_secret=" + wrong),
      post_token(token_url(), kGrant + "&client_id=" + main.id + "&client_secret=" + token),
      post_token(token_url(), "grant_type=password", {basic_auth(main)}),
      post_token(token_url(), kGrant + "&scope=nope", {basic_auth(main)}),
      post_token(token_url(), kGrant + "&client_secret=" + main.secret, {basic_auth(main)}),
      post_token(token_url(), kGrant + post_credentials(main) + "&client_secret=" + main.secret),
      post_token(token_url(), R"({"client_secret":")" + main.secret + R"(",)", {kJsonType}),
      post_token(token_url(),
                 R"({"grant_type":"client_credentials","client_secret":[")" + main.secret + "\"]}",
                 {kJsonType}),
      post_token(token_url(), kGrant, {basic_auth(fx().imported.id, kImportedSecret + "!")}),
      post_token(token_url(), kGrant + "&scope=admin", {basic_auth(fx().imported)}),
      post_token(token_url(), kGrant, {"Authorization: Bearer " + token}),
      http_request("GET", token_url(), "", {basic_auth(main)}),
  };
  const std::vector<std::string> never_shown = {main.secret, fx().imported.secret,
                                                percent_encode(fx().imported.secret), wrong, token};
  for (const auto& response : errors) {
    EXPECT_GE(response.status, 400) << describe(response);
    for (const auto& value : never_shown) {
      EXPECT_EQ(response.body.find(value), std::string::npos)
          << value << " in " << describe(response);
      for (const auto& [name, header] : response.headers) {
        EXPECT_EQ(header.find(value), std::string::npos) << value << " in " << name;
      }
    }
  }
  // A request's log line is written right after its answer is sent.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto log = server_->server.stderr_text();
  ASSERT_NE(log.find("status=401"), std::string::npos) << "the requests were not logged: " << log;
  for (const auto& value : never_shown) {
    EXPECT_EQ(log.find(value), std::string::npos) << value << " in the log";
  }
}

// --- The failure rate limit (SPEC §6) ------------------------------------------

HttpResult post_from(const std::string& source, const std::string& url, const std::string& body,
                     const std::vector<std::string>& headers) {
  return http_request_from(source, "POST", url, body, headers);
}

// A server of its own: once engaged, the limit lasts up to a minute.
class TokenRateLimitE2eTest : public TokenSuite<TokenRateLimitE2eTest> {};

TEST_F(TokenRateLimitE2eTest, AHundredFailuresLimitTheClientButNeitherItsRightSecretNorOthers) {
  // The limit engages within any hundred failures, wherever the minute
  // boundaries fall (TokenEndpointTest.FailuresAcrossAMinuteBoundary…).
  const auto& main = fx().main;
  const auto wrong = basic_auth(main.id, "wrong-secret-0123456789");
  for (int attempt = 1; attempt <= 100; ++attempt) {
    const auto response = post_token(token_url(), kGrant, {wrong});
    if (attempt <= 20) {
      // At least 20 failures a minute are tolerated.
      ASSERT_TRUE(IsInvalidClient(response, true)) << "attempt " << attempt;
    } else {
      ASSERT_TRUE(response.status == 401 || response.status == 429)
          << "attempt " << attempt << ": " << describe(response);
    }
  }
  const auto limited = post_token(token_url(), kGrant, {wrong});
  EXPECT_TRUE(IsOAuthError(limited, 429, "too_many_requests"));
  const auto retry_after = limited.header("retry-after");
  ASSERT_FALSE(retry_after.empty()) << "no Retry-After: " << describe(limited);
  ASSERT_EQ(retry_after.find_first_not_of("0123456789"), std::string::npos) << retry_after;
  EXPECT_GE(std::stoi(retry_after), 1);
  EXPECT_LE(std::stoi(retry_after), 60);

  // Strangers cannot lock the client out: its right generated secret still
  // works, from the limited address and from another.
  EXPECT_TRUE(IsToken(post_token(token_url(), kGrant, {basic_auth(main)}), "read write"));
  const auto elsewhere = post_from("127.0.0.2", token_url(), kGrant, {kFormType, basic_auth(main)});
  EXPECT_EQ(elsewhere.status, 200) << describe(elsewhere);

  // The client id is limited wherever its failures come from.
  const auto limited_elsewhere = post_from("127.0.0.2", token_url(), kGrant, {kFormType, wrong});
  EXPECT_EQ(limited_elsewhere.status, 429) << describe(limited_elsewhere);

  // Another client, from an address without failures, is not limited: a
  // wrong secret is a plain 401, and its right secret a token.
  const auto other_wrong = basic_auth(fx().solo.id, "wrong-secret-0123456789");
  const auto other = post_from("127.0.0.3", token_url("solo"), kGrant, {kFormType, other_wrong});
  EXPECT_EQ(other.status, 401) << describe(other);
  const auto other_right =
      post_from("127.0.0.3", token_url("solo"), kGrant, {kFormType, basic_auth(fx().solo)});
  EXPECT_EQ(other_right.status, 200) << describe(other_right);

  // The limited address is limited for every client: a failure from it is
  // 429, and an imported (Argon2id) secret is not even checked there.
  EXPECT_TRUE(
      IsOAuthError(post_token(token_url("solo"), kGrant, {other_wrong}), 429, "too_many_requests"));
  EXPECT_TRUE(IsOAuthError(post_token(token_url(), kGrant, {basic_auth(fx().imported)}), 429,
                           "too_many_requests"));
  // From elsewhere, the imported secret is checked and works.
  const auto imported =
      post_from("127.0.0.3", token_url(), kGrant, {kFormType, basic_auth(fx().imported)});
  EXPECT_EQ(imported.status, 200) << describe(imported);
}

}  // namespace
}  // namespace tessera::test
