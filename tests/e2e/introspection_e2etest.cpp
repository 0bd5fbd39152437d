// Introspection (RFC 7662, SPEC §3.2) and revocation (RFC 7009, SPEC §3.3)
// over HTTP, for opaque and JWT tokens alike: who may ask, what an active
// token is described as, every way a token stops being active, and what a
// client may revoke.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "e2e/admin_api.hpp"
#include "e2e/token_fixture.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

struct Client {
  std::string slug;
  std::string id;
  std::string secret;
};

// The two token formats, by the API that issues each (SPEC §3.1: the API's
// format wins).
struct Format {
  const char* name;
  const char* audience;
};
const Format kOpaque{"opaque", "https://api.intro.test"};
const Format kJwt{"jwt", "https://jwt.intro.test"};
const std::vector<Format> kFormats{kOpaque, kJwt};

std::string bearer(const std::string& key) {
  return "Authorization: Bearer " + key;
}

// Exactly {"active":false} (RFC 7662 §2.2: nothing else about the token).
::testing::AssertionResult IsInactive(const HttpResult& r) {
  auto ok = IsJsonAnswer(r, 200);
  if (!ok) return ok;
  if (r.json() != json{{"active", false}}) {
    return ::testing::AssertionFailure() << "not {\"active\":false}: " << r.body;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsActive(const HttpResult& r) {
  auto ok = IsJsonAnswer(r, 200);
  if (!ok) return ok;
  if (r.json().value("active", false) != true) {
    return ::testing::AssertionFailure() << "not active: " << r.body;
  }
  return ::testing::AssertionSuccess();
}

// The world (one server): tenant intro-a with an opaque API and a JWT API,
// clients `holder` (holds the tokens), `introspector` (can_introspect, set by
// PATCH) and `plain` (without), and admin keys of intro-a; tenant intro-b
// with the same APIs, its own holder and introspector, and an admin key.
class IntrospectionE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AdminServer();
    holder_ = new_tenant_with_client("intro-a", "Holder");
    introspector_ = new_client("intro-a", "Introspector");
    expect(
        admin().patch("/tenants/intro-a/clients/" + introspector_.id, {{"can_introspect", true}}),
        200);
    plain_ = new_client("intro-a", "Plain");
    key_a_ = tenant_key("intro-a");
    holder_b_ = new_tenant_with_client("intro-b", "Holder B");
    introspector_b_ = new_client("intro-b", "Introspector B", true);
    key_b_ = tenant_key("intro-b");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr) << "the shared server did not start"; }

  static AdminApi admin() { return AdminApi(*server_); }
  static std::string url(const std::string& path) { return server_->server.public_url() + path; }

  // Set-up steps throw: a failed one must stop the test, not go on half-made.
  static json expect(const HttpResult& response, long status) {
    if (response.status != status) {
      throw std::runtime_error("set-up: expected " + std::to_string(status) + ", got " +
                               describe(response));
    }
    return response.body.empty() ? json() : response.json();
  }

  static Client new_tenant_with_client(const std::string& slug, const std::string& name) {
    expect(admin().post("/tenants", {{"slug", slug}, {"name", "Tenant " + slug}}), 201);
    for (const auto& format : kFormats) {
      expect(admin().post("/tenants/" + slug + "/apis",
                          {{"identifier", format.audience},
                           {"name", format.name},
                           {"token_format", format.name},
                           {"scopes", json::array({{{"value", "read"}}, {{"value", "write"}}})}}),
             201);
    }
    return new_client(slug, name);
  }

  // A client granted read and write on both APIs.
  static Client new_client(const std::string& slug, const std::string& name,
                           bool can_introspect = false, const json& extra = json::object()) {
    json body = extra;
    body["name"] = name;
    body["can_introspect"] = can_introspect;
    const auto created = expect(admin().post("/tenants/" + slug + "/clients", body), 201);
    Client client{slug, created["client_id"].get<std::string>(),
                  created["client_secret"].get<std::string>()};
    for (const auto& format : kFormats) {
      expect(admin().put("/tenants/" + slug + "/clients/" + client.id + "/grants/" +
                             percent_encode(format.audience),
                         {{"scopes", {"read", "write"}}}),
             200);
    }
    return client;
  }

  static std::string tenant_key(const std::string& slug) {
    return expect(admin().post("/admin-keys", {{"name", "key of " + slug}, {"tenant", slug}}),
                  201)["key"]
        .get<std::string>();
  }

  static HttpResult request_token(const Client& client, const Format& format,
                                  const std::string& scope = "read") {
    return http_request("POST", url("/t/" + client.slug + "/oauth/token"),
                        "grant_type=client_credentials&scope=" + scope +
                            "&audience=" + percent_encode(format.audience),
                        {kFormType, basic_auth(client.id, client.secret)});
  }
  static std::string token_of(const Client& client, const Format& format) {
    return expect(request_token(client, format), 200)["access_token"].get<std::string>();
  }

  // POST …/oauth/introspect (or `endpoint`) with `token` and `auth` headers.
  static HttpResult call(const std::string& slug, const std::string& endpoint,
                         const std::string& body, std::vector<std::string> headers) {
    headers.push_back(kFormType);
    return http_request("POST", url("/t/" + slug + "/oauth/" + endpoint), body, headers);
  }
  static HttpResult introspect(const std::string& token, const std::string& auth,
                               const std::string& slug = "intro-a") {
    return call(slug, "introspect", "token=" + percent_encode(token), {auth});
  }
  static HttpResult introspect_as(const Client& caller, const std::string& token) {
    return introspect(token, basic_auth(caller.id, caller.secret), caller.slug);
  }
  static HttpResult revoke(const Client& caller, const std::string& token,
                           const std::string& extra = "") {
    return call(caller.slug, "revoke", "token=" + percent_encode(token) + extra,
                {basic_auth(caller.id, caller.secret)});
  }
  // Whether a superadmin sees `token` as active at intro-a.
  static bool active(const std::string& token, const std::string& slug = "intro-a") {
    const auto r = introspect(token, bearer(server_->key), slug);
    return r.status == 200 && r.json().value("active", false);
  }
  static std::string jti_of(const std::string& token) {
    return expect(introspect(token, bearer(server_->key)), 200)["jti"].get<std::string>();
  }

  inline static AdminServer* server_ = nullptr;
  inline static Client holder_, introspector_, plain_, holder_b_, introspector_b_;
  inline static std::string key_a_, key_b_;
};

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

// --- Revocation ----------------------------------------------------------------

TEST_F(IntrospectionE2eTest, AClientRevokesItsOwnTokens) {
  for (const auto& format : kFormats) {
    SCOPED_TRACE(format.name);
    const auto token = token_of(holder_, format);
    const auto kept = token_of(holder_, format);
    const auto jti = jti_of(token);
    const auto r = revoke(holder_, token, "&token_type_hint=access_token");
    EXPECT_EQ(r.status, 200) << describe(r);
    EXPECT_EQ(r.body, "");
    EXPECT_TRUE(IsInactive(introspect_as(introspector_, token)));
    EXPECT_EQ(server_->db.query_value(
                  "SELECT (revoked_at IS NOT NULL)::text FROM tokens WHERE id = '" + jti + "'"),
              "true");
    EXPECT_TRUE(IsActive(introspect_as(introspector_, kept))) << "only that token";
    const auto again = revoke(holder_, token);
    EXPECT_EQ(again.status, 200) << describe(again);
    EXPECT_EQ(again.body, "");
  }
}

TEST_F(IntrospectionE2eTest, RevokingAnUnknownOrMalformedTokenIsStill200) {
  const auto jwt = token_of(holder_, kJwt);
  const auto signature = jwt.substr(jwt.rfind('.'));
  for (const auto& token : {std::string("garbage"), std::string("a.b.c"), std::string("tsat_AAAA"),
                            jwt.substr(0, jwt.size() - 2) + (jwt.back() == 'A' ? "BB" : "AA"),
                            crypto::base64url_encode(R"({"alg":1,"typ":"at+jwt","kid":"k"})") +
                                "." + crypto::base64url_encode("{}") + signature}) {
    const auto r = revoke(holder_, token);
    EXPECT_EQ(r.status, 200) << token << ": " << describe(r);
    EXPECT_EQ(r.body, "") << token;
  }
  EXPECT_TRUE(IsActive(introspect_as(introspector_, jwt))) << "the real token was not touched";
}

TEST_F(IntrospectionE2eTest, AnotherClientsTokenIsRefusedAndStaysActive) {
  for (const auto& format : kFormats) {
    SCOPED_TRACE(format.name);
    const auto token = token_of(holder_, format);
    EXPECT_TRUE(IsOAuthError(revoke(plain_, token), 400, "unauthorized_client"));
    EXPECT_TRUE(IsActive(introspect_as(introspector_, token)));
    // At another tenant the token is unknown: 200, and nothing happens to it.
    const auto elsewhere = revoke(holder_b_, token);
    EXPECT_EQ(elsewhere.status, 200) << describe(elsewhere);
    EXPECT_TRUE(IsActive(introspect_as(introspector_, token)));
  }
}

TEST_F(IntrospectionE2eTest, RevocationNeedsClientAuthentication) {
  const auto token = token_of(holder_, kOpaque);
  EXPECT_TRUE(IsInvalidClient(call("intro-a", "revoke", "token=" + token, {}), false));
  EXPECT_TRUE(IsInvalidClient(
      call("intro-a", "revoke", "token=" + token, {basic_auth(holder_.id, "wrong")}), true));
  EXPECT_TRUE(IsActive(introspect_as(introspector_, token)));
  EXPECT_TRUE(IsOAuthError(call("intro-a", "revoke", "", {basic_auth(holder_.id, holder_.secret)}),
                           400, "invalid_request"));
}

}  // namespace
}  // namespace tessera::test
