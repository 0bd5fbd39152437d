// JWT access tokens over HTTP (SPEC §3.1, §3.4): what a tenant or API with
// token_format "jwt" issues, checked the way a resource server would — with
// the keys of the tenant's JWKS and the issuer of its discovery document —
// plus signing-key rotation and discovery at both of its URLs.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "e2e/jwt_fixture.hpp"

namespace tessera::test {
namespace {

class JwtTokensE2eTest : public JwtFixture {};

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
    EXPECT_EQ(methods.count("private_key_jwt"), 1u) << field;
    EXPECT_EQ(methods.count("none"), 0u) << field << ": every one needs a secret or a key";
    EXPECT_EQ(methods.count("client_secret_jwt"), 0u) << field << ": no HMAC assertions";
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
