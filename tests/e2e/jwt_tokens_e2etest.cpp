// JWT access tokens over HTTP (SPEC §3.1, §3.4): what a tenant or API with
// token_format "jwt" issues, checked the way a resource server would — with
// the keys of the tenant's JWKS and the issuer of its discovery document —
// plus signing-key rotation and discovery at both of its URLs.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "e2e/admin_api.hpp"
#include "e2e/token_fixture.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

// A fixed issuer base, so the issuer is known in advance and differs from
// the address the test server listens on.
const std::string kIssuerBase = "https://issuer.example.test";
const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

// A JWT taken apart with the two pure functions a verifier needs.
struct DecodedJwt {
  crypto::JwsParts parts;
  json header;
  json payload;
};

std::optional<DecodedJwt> decode_jwt(const std::string& token) {
  auto parts = crypto::jws_split(token);
  if (!parts) return std::nullopt;
  auto header = json::parse(parts->header_json, nullptr, false);
  auto payload = json::parse(parts->payload_json, nullptr, false);
  if (!header.is_object() || !payload.is_object()) return std::nullopt;
  return DecodedJwt{std::move(*parts), std::move(header), std::move(payload)};
}

// The raw Ed25519 public key of each JWKS entry, by kid.
std::map<std::string, std::string> public_keys_of(const json& jwks) {
  std::map<std::string, std::string> keys;
  for (const auto& key : jwks.at("keys")) {
    const auto x = crypto::base64url_decode(key.at("x").get<std::string>());
    if (!x) throw std::runtime_error("a JWKS x is not base64url: " + key.dump());
    keys[key.at("kid").get<std::string>()] = *x;
  }
  return keys;
}

// Whether `token` verifies with the JWKS key its header names.
::testing::AssertionResult VerifiesWithJwks(const std::string& token, const json& jwks) {
  const auto jwt = decode_jwt(token);
  if (!jwt) return ::testing::AssertionFailure() << "not a compact JWS: " << token;
  if (!jwt->header.contains("kid") || !jwt->header["kid"].is_string()) {
    return ::testing::AssertionFailure() << "no kid: " << jwt->header.dump();
  }
  const auto keys = public_keys_of(jwks);
  const auto key = keys.find(jwt->header["kid"].get<std::string>());
  if (key == keys.end()) {
    return ::testing::AssertionFailure()
           << "kid " << jwt->header["kid"] << " is not in " << jwks.dump();
  }
  if (!crypto::jws_verify_eddsa(jwt->parts, key->second)) {
    return ::testing::AssertionFailure() << "the signature does not verify with kid " << key->first;
  }
  return ::testing::AssertionSuccess();
}

// A tenant of one test: a default API (read, write) and a client granted both.
struct JwtWorld {
  std::string slug;
  std::string api_id;
  std::string api_identifier;
  std::string client_id;
  std::string client_secret;
};

class JwtTokensE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AdminServer({{"TESSERA_ISSUER_BASE", kIssuerBase}});
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

  // `tenant` holds extra fields of the tenant (token_format, default_token_ttl).
  static JwtWorld new_world(const json& tenant, const json& api = json::object()) {
    JwtWorld world;
    world.slug = unique_name("jwt");
    json tenant_body = tenant;
    tenant_body["slug"] = world.slug;
    tenant_body["name"] = "JWT tenant";
    expect(admin().post("/tenants", tenant_body), 201);
    world.api_identifier = "https://" + world.slug + ".api.test";
    world.api_id = add_api(world.slug, world.api_identifier, true, api);
    const auto client =
        expect(admin().post("/tenants/" + world.slug + "/clients", {{"name", "JWT client"}}), 201);
    world.client_id = client["client_id"].get<std::string>();
    world.client_secret = client["client_secret"].get<std::string>();
    grant(world, world.api_id);
    return world;
  }

  static std::string add_api(const std::string& slug, const std::string& identifier,
                             bool is_default, const json& extra = json::object()) {
    json body = extra;
    body["identifier"] = identifier;
    body["name"] = "API " + identifier;
    if (!body.contains("scopes")) {
      body["scopes"] = json::array({{{"value", "read"}}, {{"value", "write"}}});
    }
    body["is_default"] = is_default;
    return expect(admin().post("/tenants/" + slug + "/apis", body), 201)["id"].dump();
  }

  static void grant(const JwtWorld& world, const std::string& api_id) {
    expect(
        admin().put("/tenants/" + world.slug + "/clients/" + world.client_id + "/grants/" + api_id,
                    {{"scopes", {"read", "write"}}}),
        200);
  }

  // client_secret_post, as in RFC 6749 §2.3.1; `extra` is appended to the form.
  static HttpResult request_token(const JwtWorld& world, const std::string& extra = "") {
    return post_token(url("/t/" + world.slug + "/oauth/token"),
                      kClientCredentials + "&client_id=" + world.client_id +
                          "&client_secret=" + world.client_secret + extra);
  }

  static std::string token_of(const JwtWorld& world, const std::string& extra = "") {
    return expect(request_token(world, extra), 200)["access_token"].get<std::string>();
  }

  static json jwks_of(const std::string& slug) {
    const auto response = http_request("GET", url("/t/" + slug + "/.well-known/jwks.json"));
    return expect(response, 200);
  }

  static json discovery_of(const std::string& slug) {
    return expect(
        http_request("GET", url("/t/" + slug + "/.well-known/oauth-authorization-server")), 200);
  }

  // kid by state, from the admin API's view of the keys.
  static std::map<std::string, std::vector<std::string>> kids_by_state(const std::string& slug) {
    std::map<std::string, std::vector<std::string>> kids;
    const auto list = expect(admin().get("/tenants/" + slug + "/signing-keys"), 200);
    for (const auto& key : list["items"]) {
      kids[key["state"].get<std::string>()].push_back(key["kid"].get<std::string>());
    }
    return kids;
  }

  static std::string query(const std::string& sql) { return server_->db.query_value(sql); }

  inline static AdminServer* server_ = nullptr;
};

std::set<std::string> kids_in(const json& jwks) {
  std::set<std::string> kids;
  for (const auto& key : jwks.at("keys")) kids.insert(key.at("kid").get<std::string>());
  return kids;
}

// --- Issuing -----------------------------------------------------------------

TEST_F(JwtTokensE2eTest, ATenantWithJwtFormatIssuesAnAtJwtSignedByItsActiveKey) {
  const auto world = new_world({{"token_format", "jwt"}});
  const auto response = request_token(world, "&scope=read");
  ASSERT_TRUE(IsJsonAnswer(response, 200));
  const auto body = response.json();
  EXPECT_EQ(body["token_type"], "Bearer");
  EXPECT_EQ(body["scope"], "read");
  EXPECT_EQ(body["expires_in"], 3600);
  const auto token = body["access_token"].get<std::string>();
  EXPECT_EQ(token.rfind("tsat_", 0), std::string::npos) << "an opaque token: " << token;

  const auto jwt = decode_jwt(token);
  ASSERT_TRUE(jwt.has_value()) << token;
  const auto kids = kids_by_state(world.slug);
  ASSERT_EQ(kids.at("active").size(), 1u);
  EXPECT_EQ(jwt->header,
            (json{{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", kids.at("active")[0]}}));

  const auto jwks = jwks_of(world.slug);
  EXPECT_TRUE(VerifiesWithJwks(token, jwks));
  // The next key is published but does not sign yet.
  const auto next = public_keys_of(jwks).at(kids.at("next").at(0));
  EXPECT_FALSE(crypto::jws_verify_eddsa(jwt->parts, next));
}

TEST_F(JwtTokensE2eTest, TheClaimsNameTheIssuerTheApiTheClientAndTheLifetime) {
  const auto world = new_world({{"token_format", "jwt"}, {"default_token_ttl", 900}});
  const auto before = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const auto response = request_token(world);
  ASSERT_TRUE(IsJsonAnswer(response, 200));
  EXPECT_EQ(response.json()["expires_in"], 900);
  const auto jwt = decode_jwt(response.json()["access_token"].get<std::string>());
  ASSERT_TRUE(jwt.has_value());
  const auto& claims = jwt->payload;
  EXPECT_EQ(keys_of(claims), (std::vector<std::string>{"aud", "client_id", "exp", "iat", "iss",
                                                       "jti", "scope", "sub"}))
      << claims.dump();

  EXPECT_EQ(claims["iss"], discovery_of(world.slug)["issuer"]);
  EXPECT_EQ(claims["iss"], kIssuerBase + "/t/" + world.slug);
  EXPECT_EQ(claims["aud"], world.api_identifier);
  EXPECT_EQ(claims["sub"], world.client_id);
  EXPECT_EQ(claims["client_id"], world.client_id);
  EXPECT_EQ(claims["scope"], "read write");
  ASSERT_TRUE(claims["iat"].is_number_integer() && claims["exp"].is_number_integer())
      << claims.dump();
  EXPECT_EQ(claims["exp"].get<long long>() - claims["iat"].get<long long>(), 900);
  EXPECT_GE(claims["iat"].get<long long>(), before - 5);
  EXPECT_LE(claims["iat"].get<long long>(), before + 60);

  ASSERT_TRUE(claims["jti"].is_string());
  const auto jti = claims["jti"].get<std::string>();
  EXPECT_TRUE(std::regex_match(jti, kUuid)) << jti;
  // The record: format jwt, no hash (the signature is the proof), its client.
  EXPECT_EQ(query("SELECT format || ' ' || (token_hash IS NULL)::text || ' ' || client_id || ' ' ||"
                  " extract(epoch FROM expires_at - issued_at)::int FROM tokens WHERE id = '" +
                  jti + "'"),
            "jwt true " + world.client_id + " 900");
}

TEST_F(JwtTokensE2eTest, TheApisFormatWinsOverTheTenants) {
  // An opaque tenant with one JWT API, and a JWT tenant with one opaque API.
  auto opaque_tenant = new_world({}, {{"token_format", "jwt"}});
  const auto plain_api = add_api(opaque_tenant.slug, "plain-api", false);
  grant(opaque_tenant, plain_api);
  const auto jwt = decode_jwt(token_of(opaque_tenant));
  ASSERT_TRUE(jwt.has_value()) << "the default API asks for JWTs";
  EXPECT_EQ(jwt->payload["aud"], opaque_tenant.api_identifier);
  EXPECT_EQ(token_of(opaque_tenant, "&audience=plain-api").rfind("tsat_", 0), 0u)
      << "the tenant's format for an API without its own";

  auto jwt_tenant = new_world({{"token_format", "jwt"}}, {{"token_format", "opaque"}});
  const auto other_api = add_api(jwt_tenant.slug, "other-api", false);
  grant(jwt_tenant, other_api);
  EXPECT_EQ(token_of(jwt_tenant).rfind("tsat_", 0), 0u) << "the API asks for opaque tokens";
  const auto other = decode_jwt(token_of(jwt_tenant, "&audience=other-api"));
  ASSERT_TRUE(other.has_value()) << "the tenant's format";
  EXPECT_EQ(other->payload["aud"], "other-api");
  EXPECT_TRUE(
      VerifiesWithJwks(token_of(jwt_tenant, "&audience=other-api"), jwks_of(jwt_tenant.slug)));
}

// --- JWKS and rotation -------------------------------------------------------

TEST_F(JwtTokensE2eTest, TheJwksPublishesTheActiveAndNextKeysAsOkpEd25519) {
  const auto world = new_world({{"token_format", "jwt"}});
  const auto response = http_request("GET", url("/t/" + world.slug + "/.well-known/jwks.json"));
  ASSERT_EQ(response.status, 200) << describe(response);
  EXPECT_NE(response.header("content-type").find("json"), std::string::npos)
      << response.header("content-type");
  const auto jwks = response.json();
  ASSERT_TRUE(jwks.is_object() && jwks["keys"].is_array()) << response.body;
  ASSERT_EQ(jwks["keys"].size(), 2u) << response.body;

  const auto kids = kids_by_state(world.slug);
  EXPECT_EQ(kids_in(jwks), (std::set<std::string>{kids.at("active").at(0), kids.at("next").at(0)}));
  std::map<std::string, std::string> admin_x;
  const auto admin_keys = expect(admin().get("/tenants/" + world.slug + "/signing-keys"), 200);
  for (const auto& key : admin_keys["items"]) {
    admin_x[key["kid"].get<std::string>()] = key["x"].get<std::string>();
  }
  for (const auto& key : jwks["keys"]) {
    EXPECT_EQ(keys_of(key), (std::vector<std::string>{"alg", "crv", "kid", "kty", "use", "x"}))
        << key.dump();
    EXPECT_EQ(key["kty"], "OKP");
    EXPECT_EQ(key["crv"], "Ed25519");
    EXPECT_EQ(key["alg"], "EdDSA");
    EXPECT_EQ(key["use"], "sig");
    const auto x = key["x"].get<std::string>();
    EXPECT_EQ(x.find('='), std::string::npos) << "unpadded base64url";
    ASSERT_TRUE(crypto::base64url_decode(x).has_value()) << x;
    EXPECT_EQ(crypto::base64url_decode(x)->size(), 32u);
    EXPECT_EQ(x, admin_x[key["kid"].get<std::string>()]) << "the admin API shows the same key";
  }
  EXPECT_NE(jwks["keys"][0]["x"], jwks["keys"][1]["x"]);
}

TEST_F(JwtTokensE2eTest, RotationSignsWithTheFormerNextKeyAndKeepsOldTokensVerifiable) {
  const auto world = new_world({{"token_format", "jwt"}});
  const auto before = kids_by_state(world.slug);
  const auto old_active = before.at("active").at(0);
  const auto old_next = before.at("next").at(0);
  const auto old_token = token_of(world);
  ASSERT_TRUE(VerifiesWithJwks(old_token, jwks_of(world.slug)));

  const auto rotated =
      admin().post("/tenants/" + world.slug + "/signing-keys/rotate", json::object());
  ASSERT_TRUE(IsJsonAnswer(rotated, 200));

  const auto after = kids_by_state(world.slug);
  ASSERT_EQ(after.at("active").size(), 1u);
  EXPECT_EQ(after.at("active")[0], old_next) << "the next key becomes active";
  ASSERT_EQ(after.at("next").size(), 1u);
  const auto new_next = after.at("next")[0];
  EXPECT_NE(new_next, old_active);
  EXPECT_NE(new_next, old_next);

  const auto jwks = jwks_of(world.slug);
  EXPECT_EQ(kids_in(jwks), (std::set<std::string>{old_active, old_next, new_next}))
      << "the retired key stays published while its tokens live";
  EXPECT_TRUE(VerifiesWithJwks(old_token, jwks));
  const auto old_jwt = decode_jwt(old_token);
  ASSERT_TRUE(old_jwt.has_value());
  EXPECT_EQ(old_jwt->header["kid"], old_active);

  const auto new_token = token_of(world);
  const auto jwt = decode_jwt(new_token);
  ASSERT_TRUE(jwt.has_value());
  EXPECT_EQ(jwt->header["kid"], old_next);
  EXPECT_TRUE(VerifiesWithJwks(new_token, jwks));
  EXPECT_FALSE(crypto::jws_verify_eddsa(jwt->parts, public_keys_of(jwks).at(old_active)));

  // Both tokens are still the tenant's own.
  for (const auto& token : {old_token, new_token}) {
    const auto introspected =
        http_request("POST", url("/t/" + world.slug + "/oauth/introspect"), "token=" + token,
                     {kFormType, "Authorization: Bearer " + server_->key});
    ASSERT_TRUE(IsJsonAnswer(introspected, 200));
    EXPECT_EQ(introspected.json()["active"], true) << introspected.body;
  }
}

// --- Discovery ---------------------------------------------------------------

TEST_F(JwtTokensE2eTest, DiscoveryIsOneDocumentAtBothWellKnownUrls) {
  const auto world = new_world({{"token_format", "jwt"}});
  add_api(world.slug, "https://extra.api.test", false,
          {{"scopes", json::array({{{"value", "extra:run"}}})}});
  const auto path_form =
      http_request("GET", url("/t/" + world.slug + "/.well-known/oauth-authorization-server"));
  const auto rfc8414_form =
      http_request("GET", url("/.well-known/oauth-authorization-server/t/" + world.slug));
  ASSERT_TRUE(IsJsonAnswer(path_form, 200));
  ASSERT_TRUE(IsJsonAnswer(rfc8414_form, 200));
  const auto doc = path_form.json();
  EXPECT_EQ(rfc8414_form.json(), doc);

  const auto issuer = kIssuerBase + "/t/" + world.slug;
  EXPECT_EQ(doc["issuer"], issuer);
  EXPECT_EQ(doc["token_endpoint"], issuer + "/oauth/token");
  EXPECT_EQ(doc["jwks_uri"], issuer + "/.well-known/jwks.json");
  EXPECT_EQ(doc["introspection_endpoint"], issuer + "/oauth/introspect");
  EXPECT_EQ(doc["revocation_endpoint"], issuer + "/oauth/revoke");
  EXPECT_EQ(doc["grant_types_supported"], json::array({"client_credentials"}));
  // Every API's scopes, each once, sorted.
  EXPECT_EQ(doc["scopes_supported"], json::array({"extra:run", "read", "write"})) << doc.dump();
  for (const char* field :
       {"token_endpoint_auth_methods_supported", "introspection_endpoint_auth_methods_supported",
        "revocation_endpoint_auth_methods_supported"}) {
    ASSERT_TRUE(doc[field].is_array()) << field << ": " << doc.dump();
    const auto methods = doc[field].get<std::set<std::string>>();
    EXPECT_EQ(methods.count("client_secret_basic"), 1u) << field;
    EXPECT_EQ(methods.count("client_secret_post"), 1u) << field;
    EXPECT_EQ(methods.count("none"), 0u) << field << ": every one needs a client secret";
  }
  // Each endpoint it names answers on this server under the same path.
  const auto jwks_path = doc["jwks_uri"].get<std::string>().substr(kIssuerBase.size());
  EXPECT_EQ(expect(http_request("GET", url(jwks_path)), 200), jwks_of(world.slug));
}

TEST_F(JwtTokensE2eTest, AnUnknownTenantIsA404JsonError) {
  for (const std::string path : {"/t/no-such-tenant/.well-known/oauth-authorization-server",
                                 "/.well-known/oauth-authorization-server/t/no-such-tenant",
                                 "/t/no-such-tenant/.well-known/jwks.json"}) {
    const auto response = http_request("GET", url(path));
    ASSERT_TRUE(IsJsonAnswer(response, 404)) << path;
    EXPECT_EQ(response.json()["error"], "not_found") << path << ": " << response.body;
  }
}

}  // namespace
}  // namespace tessera::test
