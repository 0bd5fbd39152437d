// Introspection and revocation as functions (endpoints/introspection_endpoint,
// endpoints/revocation_endpoint), RFC 7662 and RFC 7009 as SPEC §3.2–3.3 say,
// with expiry decided by the clock the test moves.
#include <gtest/gtest.h>

#include "public_endpoints_fixture.hpp"

namespace tessera::endpoints::test {
namespace {

class IntrospectionEndpointTest : public PublicEndpointsTest {
 protected:
  static bool active(const Trace& trace) {
    EXPECT_EQ(trace.response.status, 200) << trace.response.body;
    return trace.response.status == 200 && trace.json().value("active", false);
  }
};

TEST_F(IntrospectionEndpointTest, AnActiveTokenIsDescribedAsRfc7662Says) {
  for (const std::string audience : {"https://api.acme.test", "https://jwt.acme.test"}) {
    SCOPED_TRACE(audience);
    const auto token = token_of(reader_, "&audience=" + audience);
    const auto trace = introspect(token, introspector_);
    ASSERT_TRUE(active(trace));
    const auto body = trace.json();
    EXPECT_EQ(body["scope"], "read");
    EXPECT_EQ(body["client_id"], reader_.id);
    EXPECT_EQ(body["sub"], reader_.id);
    EXPECT_EQ(body["aud"], audience);
    EXPECT_EQ(body["iss"], "https://auth.example.test/t/acme");
    EXPECT_EQ(body["iat"], kStart);
    EXPECT_EQ(body["exp"], kStart + 3600);
    EXPECT_EQ(body["token_type"], "Bearer");
    EXPECT_EQ(trace.header("Cache-Control"), "no-store");
  }
}

TEST_F(IntrospectionEndpointTest, TokensExpireWithTheClock) {
  store_.clients.at({kTenant.value, reader_.id}).client.token_ttl = 60;
  const auto opaque = token_of(reader_);
  const auto jwt = token_of(reader_, "&audience=https://jwt.acme.test");
  clock_.advance(seconds(59));
  EXPECT_TRUE(active(introspect(opaque, introspector_)));
  EXPECT_TRUE(active(introspect(jwt, introspector_)));
  clock_.advance(seconds(1));
  EXPECT_FALSE(active(introspect(opaque, introspector_)));
  EXPECT_FALSE(active(introspect(jwt, introspector_)));
}

TEST_F(IntrospectionEndpointTest, WhatIsNotAnActiveTokenOfTheTenantIsInactive) {
  const auto token = token_of(reader_);
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"made up", "tsat_madeup"},
      {"opaque with another secret", token.substr(0, token.size() - 4) + "AAAA"},
      {"a JWT of nobody", "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2ln"},
      {"empty-ish", "x"},
  };
  for (const auto& [name, presented] : cases) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(active(introspect(presented, introspector_)));
  }
  // A disabled client's tokens are inactive while it is so.
  auto& reader = store_.clients.at({kTenant.value, reader_.id});
  reader.client.status = domain::Status::disabled;
  directory_.client_changed(kTenant, reader_.id);
  EXPECT_FALSE(active(introspect(token, introspector_)));
}

TEST_F(IntrospectionEndpointTest, RefusalsNameTheirError) {
  const auto token = token_of(reader_);
  struct Case {
    const char* name;
    http::Request request;
    int status;
    std::string error;
    std::string challenge;
  };
  const std::vector<Case> cases = {
      {"without can_introspect",
       post("/t/acme/oauth/introspect", "token=" + token, {{"authorization", basic(reader_)}}), 403,
       "unauthorized_client", ""},
      {"no token", post("/t/acme/oauth/introspect", "", {{"authorization", basic(introspector_)}}),
       400, "invalid_request", ""},
      {"wrong secret",
       post("/t/acme/oauth/introspect", "token=" + token,
            {{"authorization", basic(introspector_, "not-the-introspectors-secret")}}),
       401, "invalid_client", "Basic realm=\"tessera\""},
      {"unknown admin key",
       post("/t/acme/oauth/introspect", "token=" + token,
            {{"authorization", "Bearer tsak_0123456789abcdef0123456789abcdef0123456789a"}}),
       401, "invalid_client", "Bearer realm=\"tessera\""},
      {"no credentials", post("/t/acme/oauth/introspect", "token=" + token), 401, "invalid_client",
       ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto trace = send(c.request);
    EXPECT_EQ(trace.response.status, c.status) << trace.response.body;
    EXPECT_EQ(trace.error(), c.error);
    EXPECT_EQ(trace.header("WWW-Authenticate"), c.challenge);
  }
}

TEST_F(IntrospectionEndpointTest, ACachedCallerAndRecordAreAnsweredOnTheReactorThread) {
  const auto token = token_of(reader_);
  // The record was cached when the token was introspected once.
  const auto first = introspect(token, introspector_);
  EXPECT_TRUE(active(first));
  EXPECT_FALSE(first.stages.empty());
  const auto again = introspect(token, introspector_);
  EXPECT_TRUE(active(again));
  EXPECT_TRUE(again.stages.empty()) << "went on at a worker";
  // An admin key is read from the database: a worker, always.
  const auto bearer = send(
      post("/t/acme/oauth/introspect", "token=" + token, {{"authorization", "Bearer tsak_x"}}));
  EXPECT_EQ(bearer.stages, std::vector<Stage>{Stage::worker});
}

using RevocationEndpointTest = IntrospectionEndpointTest;

TEST_F(RevocationEndpointTest, AClientRevokesItsOwnTokenOnAWorkerAndItIsInactiveAtOnce) {
  for (const std::string audience : {"https://api.acme.test", "https://jwt.acme.test"}) {
    SCOPED_TRACE(audience);
    const auto token = token_of(reader_, "&audience=" + audience);
    EXPECT_TRUE(active(introspect(token, introspector_)));
    const auto waits = store_.barrier_waits;
    const auto trace = revoke(token, reader_);
    EXPECT_EQ(trace.response.status, 200) << trace.response.body;
    EXPECT_EQ(trace.response.body, "");
    EXPECT_EQ(trace.header("Cache-Control"), "no-store");
    ASSERT_FALSE(trace.stages.empty());
    EXPECT_EQ(trace.stages.front(), Stage::worker) << "a write never runs on a reactor thread";
    EXPECT_EQ(store_.barrier_waits, waits + 1) << "answered once the change is visible";
    EXPECT_FALSE(active(introspect(token, introspector_)));
    // Again: nothing to write, still 200.
    EXPECT_EQ(revoke(token, reader_).response.status, 200);
    EXPECT_EQ(store_.barrier_waits, waits + 1);
  }
}

TEST_F(RevocationEndpointTest, AnotherClientsTokenIsRefusedAndStaysActive) {
  const auto token = token_of(reader_);
  const auto trace = revoke(token, other_);
  EXPECT_EQ(trace.response.status, 400);
  EXPECT_EQ(trace.error(), "unauthorized_client");
  EXPECT_TRUE(active(introspect(token, introspector_)));
  EXPECT_EQ(store_.revocations, 0);
}

TEST_F(RevocationEndpointTest, UnknownTokensAre200AndRefusalsNameTheirError) {
  EXPECT_EQ(revoke("tsat_madeup", reader_).response.status, 200);
  EXPECT_EQ(send(post("/t/acme/oauth/revoke", "", {{"authorization", basic(reader_)}})).error(),
            "invalid_request");
  const auto wrong = revoke("tsat_madeup", {reader_.id, "not-the-secret-of-the-reader"});
  EXPECT_EQ(wrong.response.status, 401);
  EXPECT_EQ(wrong.header("WWW-Authenticate"), "Basic realm=\"tessera\"");
  EXPECT_EQ(store_.revocations, 0);
}

}  // namespace
}  // namespace tessera::endpoints::test
