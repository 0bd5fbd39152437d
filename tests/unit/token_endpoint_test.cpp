// The token endpoint as a function (endpoints/token_endpoint): request
// shapes and their answers, where each request went on, what it recorded,
// and the failure limit, on a clock the test moves.
#include <gtest/gtest.h>

#include <tuple>

#include "crypto/jws.hpp"
#include "public_endpoints_fixture.hpp"
#include "tokens/jwt_token.hpp"

namespace tessera::endpoints::test {
namespace {

class TokenEndpointTest : public PublicEndpointsTest {};

// One request shape and what it must come to (SPEC §3.1).
struct Case {
  const char* name;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Basic of cl_reader unless set
  int status;
  std::string error;      // empty for 200
  std::string challenge;  // WWW-Authenticate, if any
};

TEST_F(TokenEndpointTest, AnswersEachRequestShapeAsSpecified) {
  const std::string body_credentials =
      "&client_id=" + reader_.id + "&client_secret=" + reader_.secret;
  const std::vector<Case> cases = {
      {"basic", "grant_type=client_credentials", {}, 200, "", ""},
      {"body credentials",
       "grant_type=client_credentials" + body_credentials,
       {{"", ""}},
       200,
       "",
       ""},
      {"audience", "grant_type=client_credentials&audience=https://jwt.acme.test", {}, 200, "", ""},
      {"resource", "grant_type=client_credentials&resource=https://jwt.acme.test", {}, 200, "", ""},
      {"comma scopes", "grant_type=client_credentials&scope=read,read", {}, 200, "", ""},
      {"no grant_type", "scope=read", {}, 400, "invalid_request", ""},
      {"another grant", "grant_type=password", {}, 400, "unsupported_grant_type", ""},
      {"Basic and body secret",
       "grant_type=client_credentials&client_secret=x",
       {},
       400,
       "invalid_request",
       ""},
      {"audience disagrees",
       "grant_type=client_credentials&aud=a&audience=b",
       {},
       400,
       "invalid_request",
       ""},
      {"unknown audience",
       "grant_type=client_credentials&audience=https://nowhere.test",
       {},
       400,
       "invalid_target",
       ""},
      {"two resources",
       "grant_type=client_credentials&resource=a&resource=b",
       {},
       400,
       "invalid_target",
       ""},
      {"scope not granted",
       "grant_type=client_credentials&scope=write",
       {},
       400,
       "invalid_scope",
       ""},
      {"unknown scope", "grant_type=client_credentials&scope=admin", {}, 400, "invalid_scope", ""},
      {"wrong secret, Basic",
       "grant_type=client_credentials",
       {{"authorization", basic(reader_, "not-the-secret-of-the-reader")}},
       401,
       "invalid_client",
       "Basic realm=\"tessera\""},
      {"wrong secret, body",
       "grant_type=client_credentials&client_id=" + reader_.id + "&client_secret=wrong",
       {{"", ""}},
       401,
       "invalid_client",
       ""},
      {"unknown client",
       "grant_type=client_credentials",
       {{"authorization", basic({"cl_nobody_0000000001", "whatever-secret"})}},
       401,
       "invalid_client",
       "Basic realm=\"tessera\""},
      {"no credentials", "grant_type=client_credentials", {{"", ""}}, 401, "invalid_client", ""},
      {"Bearer",
       "grant_type=client_credentials",
       {{"authorization", "Bearer abc"}},
       401,
       "invalid_client",
       ""},
      {"malformed Basic",
       "grant_type=client_credentials",
       {{"authorization", "Basic %%%"}},
       400,
       "invalid_request",
       ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto headers = c.headers;
    if (headers.empty()) headers = {{"authorization", basic(reader_)}};
    if (headers.front().first.empty()) headers.clear();
    const auto trace = send(post("/t/acme/oauth/token", c.body, headers));
    EXPECT_EQ(trace.response.status, c.status) << trace.response.body;
    EXPECT_EQ(trace.header("Cache-Control"), "no-store");
    EXPECT_EQ(trace.header("WWW-Authenticate"), c.challenge);
    if (c.status == 200) {
      EXPECT_EQ(trace.json()["token_type"], "Bearer");
      EXPECT_TRUE(trace.record.has_value());
    } else {
      EXPECT_EQ(trace.error(), c.error);
      EXPECT_FALSE(trace.record.has_value()) << "nothing is recorded for a refusal";
    }
  }
}

TEST_F(TokenEndpointTest, RoutingAnswers404And405And413BeforeTheEndpoint) {
  auto get = token_request(reader_);
  get.method = "GET";
  auto large = token_request(reader_);
  large.body_too_large = true;
  const std::vector<std::tuple<const char*, http::Request, int, std::string>> cases = {
      {"unknown tenant", post("/t/nobody/oauth/token", "grant_type=client_credentials"), 404,
       "not_found"},
      {"invalid slug", post("/t/NO%20body/oauth/token", ""), 404, "not_found"},
      {"unknown endpoint", post("/t/acme/oauth/authorize", ""), 404, "not_found"},
      {"GET", get, 405, "method_not_allowed"},
      {"too large", large, 413, "invalid_request"},
  };
  for (const auto& [name, request, status, error] : cases) {
    SCOPED_TRACE(name);
    const auto trace = send(request);
    EXPECT_EQ(trace.response.status, status) << trace.response.body;
    EXPECT_EQ(trace.error(), error);
  }
  EXPECT_EQ(send(get).header("Allow"), "POST");
}

TEST_F(TokenEndpointTest, ACacheMissGoesOnAtAWorkerOnceAndCachedClientsAreAnsweredAtOnce) {
  const auto first = send(token_request(reader_));
  EXPECT_EQ(first.response.status, 200);
  // The tenant and the client were not cached: one move, to a worker.
  EXPECT_EQ(first.stages, std::vector<Stage>{Stage::worker});
  const auto loads = store_.client_loads;
  const auto second = send(token_request(reader_));
  EXPECT_EQ(second.response.status, 200);
  EXPECT_TRUE(second.stages.empty()) << "answered on the reactor thread";
  EXPECT_EQ(store_.client_loads, loads);
}

TEST_F(TokenEndpointTest, AnImportedSecretIsCheckedOnTheArgon2PoolOnceThenRemembered) {
  const auto imported = add_client("cl_imported_00000001", {{11, {"read"}}}, true);
  const auto first = send(token_request(imported));
  EXPECT_EQ(first.response.status, 200) << first.response.body;
  EXPECT_EQ(first.stages, (std::vector<Stage>{Stage::worker, Stage::argon2}));
  const auto again = send(token_request(imported));
  EXPECT_EQ(again.response.status, 200);
  EXPECT_TRUE(again.stages.empty());
  const auto wrong = send(post("/t/acme/oauth/token", "grant_type=client_credentials",
                               {{"authorization", basic(imported, "a-wrong-imported-secret")}}));
  EXPECT_EQ(wrong.response.status, 401);
  EXPECT_EQ(wrong.stages, std::vector<Stage>{Stage::argon2});
}

TEST_F(TokenEndpointTest, TheRecordAndTheAnswerCarryTheClocksTime) {
  clock_.advance(seconds(3));
  const auto trace = send(token_request(reader_, "&scope=read"));
  ASSERT_EQ(trace.response.status, 200);
  ASSERT_TRUE(trace.record.has_value());
  const auto& record = *trace.record;
  const domain::Timestamp now{seconds(kStart + 3)};
  EXPECT_EQ(record.issued_at, now);
  EXPECT_EQ(record.expires_at, now + seconds(3600));
  EXPECT_EQ(record.client_id, reader_.id);
  EXPECT_EQ(record.api_id.value, 11);
  EXPECT_EQ(record.scope, "read");
  EXPECT_EQ(record.format, domain::TokenFormat::opaque);
  EXPECT_EQ(record.token_hash.size(), 32u);
  EXPECT_EQ(trace.json()["expires_in"], 3600);
  EXPECT_EQ(trace.json()["scope"], "read");
  // The secret counts as used when the token committed, at the request's time.
  ASSERT_EQ(store_.used.size(), 1u);
  EXPECT_EQ(std::get<0>(store_.used[0]), reader_.id);
  EXPECT_EQ(std::get<2>(store_.used[0]), now);
}

TEST_F(TokenEndpointTest, AJwtIsSignedWithTheClocksTimeAndItsRecordKeepsOnlyTheJti) {
  const auto trace = send(token_request(reader_, "&audience=https://jwt.acme.test"));
  ASSERT_EQ(trace.response.status, 200) << trace.response.body;
  const auto token = trace.json()["access_token"].get<std::string>();
  const auto claims = tokens::verify_jwt(store_.tenants.at("acme"), token);
  ASSERT_TRUE(claims.has_value());
  EXPECT_EQ(claims->iat, kStart);
  EXPECT_EQ(claims->exp, kStart + 3600);
  EXPECT_EQ(claims->aud, "https://jwt.acme.test");
  EXPECT_EQ(claims->iss, "https://auth.example.test/t/acme");
  EXPECT_EQ(claims->jti, crypto::uuid_text(trace.record->id));
  EXPECT_TRUE(trace.record->token_hash.empty());
}

TEST_F(TokenEndpointTest, EachApiSignsWithItsAlgorithmAndOnlyRs256LeavesTheReactor) {
  ASSERT_EQ(send(token_request(reader_)).response.status, 200);  // the client is cached
  const std::vector<std::tuple<std::string, std::string, std::vector<Stage>>> cases = {
      {"https://jwt.acme.test", "EdDSA", {}},
      {"https://es256.acme.test", "ES256", {}},
      // An RSA signature is too slow for a reactor thread: a worker signs it.
      {"https://rs256.acme.test", "RS256", {Stage::worker}}};
  for (const auto& [audience, alg, stages] : cases) {
    const auto trace = send(token_request(reader_, "&audience=" + audience));
    ASSERT_EQ(trace.response.status, 200) << alg << ": " << trace.response.body;
    EXPECT_EQ(trace.stages, stages) << alg;
    const auto token = trace.json()["access_token"].get<std::string>();
    const auto parts = crypto::jws_split(token);
    ASSERT_TRUE(parts.has_value()) << token;
    EXPECT_EQ(nlohmann::json::parse(parts->header_json)["alg"], alg);
    const auto introspected = introspect(token, introspector_);
    EXPECT_EQ(introspected.json()["active"], true) << alg << ": " << introspected.response.body;
    EXPECT_EQ(introspected.json()["aud"], audience);
  }
}

// SPEC §6: 20 failures a minute are tolerated; at most 100 engage the limit.
TEST_F(TokenEndpointTest, FailuresEngageTheLimitWhichLiftsAsTheClockMoves) {
  const auto wrong = post("/t/acme/oauth/token", "grant_type=client_credentials",
                          {{"authorization", basic(reader_, "not-the-secret-of-the-reader")}});
  int limited_at = 0;
  for (int attempt = 1; attempt <= 100 && limited_at == 0; ++attempt) {
    clock_.advance(seconds(attempt % 2));  // 50 seconds for the hundred
    const auto trace = send(wrong);
    if (attempt <= 20) {
      ASSERT_EQ(trace.response.status, 401) << "attempt " << attempt;
    }
    if (trace.response.status == 429) limited_at = attempt;
  }
  ASSERT_GT(limited_at, 20);
  const auto limited = send(wrong);
  EXPECT_EQ(limited.response.status, 429);
  EXPECT_EQ(limited.error(), "too_many_requests");
  const int retry_after = std::stoi(limited.header("Retry-After"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);

  // Another client from another address is not limited by them.
  auto elsewhere = token_request(other_);
  elsewhere.remote_address = "198.51.100.7";
  EXPECT_EQ(send(elsewhere).response.status, 200);

  // Two minutes later the limit has lifted.
  clock_.advance(seconds(120));
  EXPECT_EQ(send(wrong).response.status, 401);
}

// The limiter's windows: failures that straddle a minute boundary limit as
// well as those within one.
TEST_F(TokenEndpointTest, FailuresAcrossAMinuteBoundaryStillEngageTheLimit) {
  clock_.advance(seconds(45));
  const auto wrong = post("/t/acme/oauth/token", "grant_type=client_credentials",
                          {{"authorization", basic(reader_, "not-the-secret-of-the-reader")}});
  for (int attempt = 1; attempt <= 100; ++attempt) {
    if (attempt == 51) clock_.advance(seconds(20));  // into the next minute
    send(wrong);
  }
  EXPECT_EQ(send(wrong).response.status, 429);
}

}  // namespace
}  // namespace tessera::endpoints::test
