// Introspection (RFC 7662, SPEC §3.2) over HTTP, for opaque and JWT tokens
// alike: who may ask, what an active token is described as, and every way a
// token stops being active. Revocation: revocation_e2etest.cpp.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "e2e/introspection_fixture.hpp"

namespace tessera::test {
namespace {

using namespace std::chrono_literals;

const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

class IntrospectionE2eTest : public IntrospectionFixture {};

// --- Active tokens and who may ask ---------------------------------------------

TEST_F(IntrospectionE2eTest, AnActiveTokenIsDescribedInFull) {
  const auto issuer = expect(
      http_request("GET", url("/t/intro-a/.well-known/oauth-authorization-server")), 200)["issuer"];
  for (const auto& format : kFormats) {
    SCOPED_TRACE(format.name);
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const auto token = token_of(holder_, format);
    const auto r = introspect_as(introspector_, token);
    ASSERT_TRUE(IsActive(r));
    EXPECT_EQ(r.header("cache-control"), "no-store");
    const auto body = r.json();
    EXPECT_EQ(keys_of(body), (std::vector<std::string>{"active", "aud", "client_id", "exp", "iat",
                                                       "iss", "jti", "scope", "sub", "token_type"}))
        << r.body;
    EXPECT_EQ(body["scope"], "read");
    EXPECT_EQ(body["client_id"], holder_.id);
    EXPECT_EQ(body["sub"], holder_.id);
    EXPECT_EQ(body["aud"], format.audience);
    EXPECT_EQ(body["iss"], issuer);
    EXPECT_EQ(body["token_type"], "Bearer");
    ASSERT_TRUE(body["iat"].is_number_integer() && body["exp"].is_number_integer()) << r.body;
    EXPECT_EQ(body["exp"].get<long long>() - body["iat"].get<long long>(), 3600);
    EXPECT_NEAR(static_cast<double>(body["iat"].get<long long>()), static_cast<double>(now), 60);
    ASSERT_TRUE(body["jti"].is_string()) << r.body;
    const auto jti = body["jti"].get<std::string>();
    EXPECT_TRUE(std::regex_match(jti, kUuid)) << jti;
    EXPECT_EQ(server_->db.query_value("SELECT client_id || ' ' || format FROM tokens WHERE id = '" +
                                      jti + "'"),
              holder_.id + " " + format.name);
    if (format.name == std::string("jwt")) {
      const auto parts = crypto::jws_split(token);
      ASSERT_TRUE(parts.has_value());
      const auto claims = json::parse(parts->payload_json);
      for (const char* claim : {"jti", "iat", "exp", "iss", "aud", "scope", "client_id", "sub"}) {
        EXPECT_EQ(body[claim], claims[claim]) << claim;
      }
    }
  }
}

TEST_F(IntrospectionE2eTest, TheIntrospectorMayAlsoUseClientSecretPost) {
  const auto token = token_of(holder_, kOpaque);
  const auto r = call("intro-a", "introspect",
                      "token=" + token + "&client_id=" + introspector_.id + "&client_secret=" +
                          introspector_.secret + "&token_type_hint=access_token",
                      {});
  EXPECT_TRUE(IsActive(r));
}

TEST_F(IntrospectionE2eTest, AdminKeysOfTheTenantOrASuperadminMayIntrospect) {
  for (const auto& format : kFormats) {
    SCOPED_TRACE(format.name);
    const auto token = token_of(holder_, format);
    const auto by_client = introspect_as(introspector_, token);
    ASSERT_TRUE(IsActive(by_client));
    const auto by_tenant_key = introspect(token, bearer(key_a_));
    EXPECT_TRUE(IsActive(by_tenant_key));
    EXPECT_EQ(by_tenant_key.body, by_client.body);
    const auto by_superadmin = introspect(token, bearer(server_->key));
    EXPECT_TRUE(IsActive(by_superadmin));
    EXPECT_EQ(by_superadmin.body, by_client.body);

    const auto by_other_tenant_key = introspect(token, bearer(key_b_));
    EXPECT_TRUE(IsJsonAnswer(by_other_tenant_key, 401)) << describe(by_other_tenant_key);
    EXPECT_EQ(by_other_tenant_key.body.find("\"active\""), std::string::npos);
    EXPECT_TRUE(IsJsonAnswer(introspect(token, bearer(key_a_ + "x")), 401));
  }
}

TEST_F(IntrospectionE2eTest, AClientNeedsCanIntrospect) {
  const auto token = token_of(holder_, kJwt);
  EXPECT_TRUE(IsOAuthError(introspect_as(plain_, token), 403, "unauthorized_client"));
  EXPECT_TRUE(IsOAuthError(introspect_as(holder_, token), 403, "unauthorized_client"))
      << "not even for its own token";

  const auto late = new_client("intro-a", "Late introspector");
  EXPECT_TRUE(IsOAuthError(introspect_as(late, token), 403, "unauthorized_client"));
  const auto path = "/tenants/intro-a/clients/" + late.id;
  ASSERT_EQ(admin().patch(path, {{"can_introspect", true}}).status, 200);
  EXPECT_EQ(admin().get(path).json()["can_introspect"], true);
  EXPECT_TRUE(IsActive(introspect_as(late, token)));
  ASSERT_EQ(admin().patch(path, {{"can_introspect", false}}).status, 200);
  EXPECT_TRUE(IsOAuthError(introspect_as(late, token), 403, "unauthorized_client"));
}

TEST_F(IntrospectionE2eTest, AFailedClientAuthenticationIs401) {
  const auto token = token_of(holder_, kOpaque);
  EXPECT_TRUE(
      IsInvalidClient(introspect(token, basic_auth(introspector_.id, "wrong-secret")), true));

  const auto wrong_post =
      call("intro-a", "introspect",
           "token=" + token + "&client_id=" + introspector_.id + "&client_secret=wrong-secret", {});
  EXPECT_TRUE(IsInvalidClient(wrong_post, false));

  EXPECT_TRUE(IsInvalidClient(call("intro-a", "introspect", "token=" + token, {}), false));
  // A client of another tenant is unknown here.
  EXPECT_TRUE(IsInvalidClient(
      introspect(token, basic_auth(introspector_b_.id, introspector_b_.secret)), true));
}

TEST_F(IntrospectionE2eTest, AMissingTokenIsInvalidRequest) {
  EXPECT_TRUE(IsOAuthError(call("intro-a", "introspect", "token_type_hint=access_token",
                                {basic_auth(introspector_.id, introspector_.secret)}),
                           400, "invalid_request"));
  EXPECT_TRUE(IsOAuthError(call("intro-a", "introspect", "", {bearer(server_->key)}), 400,
                           "invalid_request"));
}

// --- Inactive tokens -----------------------------------------------------------

TEST_F(IntrospectionE2eTest, UnknownAndMalformedTokensAreInactive) {
  const auto opaque = token_of(holder_, kOpaque);
  const auto jwt = token_of(holder_, kJwt);
  const auto first_dot = jwt.find('.');
  const auto last_dot = jwt.rfind('.');
  auto flip = [](std::string s, std::size_t at) {
    s[at] = s[at] == 'A' ? 'B' : 'A';
    return s;
  };
  const std::string signature = jwt.substr(last_dot);
  const std::vector<std::string> tokens = {
      flip(opaque, opaque.size() - 3),  // right id, wrong secret part
      flip(opaque, 8),                  // another id
      opaque.substr(0, opaque.size() - 1),
      "tsat_",
      "garbage",
      "a.b.c",
      flip(jwt, last_dot + 3),   // signature
      flip(jwt, first_dot + 3),  // payload
      jwt + "x",
      jwt.substr(0, last_dot),
      // A header of the wrong JSON types must not trip the parser.
      crypto::base64url_encode(R"({"alg":1,"typ":"at+jwt","kid":"k"})") + "." +
          crypto::base64url_encode("{}") + signature,
      crypto::base64url_encode(R"({"alg":"EdDSA","typ":["at+jwt"],"kid":"k"})") + "." +
          crypto::base64url_encode("{}") + signature,
      crypto::base64url_encode(R"({"alg":"none","typ":"at+jwt"})") + "." +
          jwt.substr(first_dot + 1, last_dot - first_dot - 1) + ".",
  };
  for (const auto& token : tokens) {
    EXPECT_TRUE(IsInactive(introspect_as(introspector_, token))) << token;
  }
  EXPECT_TRUE(IsActive(introspect_as(introspector_, opaque)));
  EXPECT_TRUE(IsActive(introspect_as(introspector_, jwt)));
}

TEST_F(IntrospectionE2eTest, TokensOfAnotherTenantAreInactive) {
  for (const auto& format : kFormats) {
    SCOPED_TRACE(format.name);
    const auto token_b = token_of(holder_b_, format);
    EXPECT_TRUE(IsActive(introspect_as(introspector_b_, token_b))) << "at home";
    EXPECT_TRUE(IsInactive(introspect_as(introspector_, token_b)));
    EXPECT_TRUE(IsInactive(introspect(token_b, bearer(server_->key), "intro-a")));
    const auto token_a = token_of(holder_, format);
    EXPECT_TRUE(IsInactive(introspect_as(introspector_b_, token_a)));
  }
}

// Expiry is decided by the request's time: IntrospectionEndpointTest
// (tests/unit) moves a clock past it instead of sleeping here.

TEST_F(IntrospectionE2eTest, TokensRevokedThroughTheAdminApiAreInactive) {
  for (const auto& format : kFormats) {
    SCOPED_TRACE(format.name);
    const auto token = token_of(holder_, format);
    const auto kept = token_of(holder_, format);
    const auto jti = jti_of(token);
    const auto deleted = admin().del("/tenants/intro-a/tokens/" + jti);
    ASSERT_EQ(deleted.status, 204) << describe(deleted);
    EXPECT_TRUE(IsInactive(introspect_as(introspector_, token)));
    EXPECT_TRUE(IsActive(introspect_as(introspector_, kept))) << "only that token";
  }
}

TEST_F(IntrospectionE2eTest, ADisabledClientsTokensAreInactiveUntilItIsEnabledAgain) {
  const auto toggled = new_client("intro-a", "Toggled");
  const auto path = "/tenants/intro-a/clients/" + toggled.id;
  for (const auto& format : kFormats) {
    SCOPED_TRACE(format.name);
    const auto token = token_of(toggled, format);
    ASSERT_TRUE(IsActive(introspect_as(introspector_, token)));
    ASSERT_EQ(admin().patch(path, {{"status", "disabled"}}).status, 200);
    EXPECT_TRUE(IsInactive(introspect_as(introspector_, token)));
    EXPECT_TRUE(IsInactive(introspect(token, bearer(server_->key))));
    ASSERT_EQ(admin().patch(path, {{"status", "active"}}).status, 200);
    EXPECT_TRUE(IsActive(introspect_as(introspector_, token)));
  }
}

TEST_F(IntrospectionE2eTest, ADisabledTenantsTokensAreInactiveWhileItIsDisabled) {
  const auto holder = new_tenant_with_client("intro-c", "Holder C");
  const auto introspector = new_client("intro-c", "Introspector C", true);
  std::vector<std::string> tokens;
  for (const auto& format : kFormats) tokens.push_back(token_of(holder, format));
  for (const auto& token : tokens) ASSERT_TRUE(IsActive(introspect_as(introspector, token)));

  ASSERT_EQ(admin().del("/tenants/intro-c").status, 204);
  for (const auto& token : tokens) {
    EXPECT_TRUE(IsInactive(introspect(token, bearer(server_->key), "intro-c"))) << token;
  }
  EXPECT_TRUE(IsInvalidClient(introspect_as(introspector, tokens[0]), true))
      << "its clients cannot authenticate either";

  ASSERT_EQ(admin().patch("/tenants/intro-c", {{"status", "active"}}).status, 200);
  for (const auto& token : tokens) EXPECT_TRUE(IsActive(introspect_as(introspector, token)));
}

}  // namespace
}  // namespace tessera::test
