// Signing algorithms over HTTP (SPEC §3.1, §3.4, §4): `signing_alg` on
// tenants and APIs, the keys the JWKS publishes for the algorithms in use,
// rotation of each, and the OpenID discovery document API gateways read.
// Tokens are verified with keys rebuilt from the JWKS members alone
// (support/jwk_verifier.hpp), as a gateway would.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "e2e/jwt_fixture.hpp"

namespace tessera::test {
namespace {

class JwtAlgorithmsE2eTest : public JwtFixture {
 protected:
  // An API of the world's tenant issuing JWTs with `alg` (null: inherited),
  // granted to its client; returns its identifier.
  static std::string add_jwt_api(const JwtWorld& world, const std::string& name, const json& alg,
                                 std::string* id = nullptr) {
    const auto identifier = "https://" + name + "." + world.slug + ".test";
    const auto api_id =
        add_api(world.slug, identifier, false, {{"token_format", "jwt"}, {"signing_alg", alg}});
    grant(world, api_id);
    if (id != nullptr) *id = api_id;
    return identifier;
  }

  // The algorithms of the JWKS keys, and how many keys each has.
  static std::map<std::string, int> algs_in(const json& jwks) {
    std::map<std::string, int> algs;
    for (const auto& key : jwks.at("keys")) ++algs[key.at("alg").get<std::string>()];
    return algs;
  }

  static json introspect(const JwtWorld& world, const std::string& token) {
    return expect(
        http_request("POST", url("/t/" + world.slug + "/oauth/introspect"), "token=" + token,
                     {kFormType, "Authorization: Bearer " + server_->key}),
        200);
  }

  // kid by state, for one algorithm, from the admin API.
  static std::map<std::string, std::vector<std::string>> kids_of_alg(const std::string& slug,
                                                                     const std::string& alg) {
    std::map<std::string, std::vector<std::string>> kids;
    const auto list = expect(admin().get("/tenants/" + slug + "/signing-keys"), 200);
    for (const auto& key : list["items"]) {
      if (key["alg"] == alg) {
        kids[key["state"].get<std::string>()].push_back(key["kid"].get<std::string>());
      }
    }
    return kids;
  }
};

TEST_F(JwtAlgorithmsE2eTest, EachAlgorithmSignsWithItsOwnActiveKeyAndIntrospects) {
  const auto world = new_world({{"token_format", "jwt"}});
  const std::map<std::string, std::string> audiences = {
      {"EdDSA", world.api_identifier},
      {"ES256", add_jwt_api(world, "es", "ES256")},
      {"RS256", add_jwt_api(world, "rs", "RS256")}};
  const auto jwks = jwks_of(world.slug);
  EXPECT_EQ(algs_in(jwks), (std::map<std::string, int>{{"EdDSA", 2}, {"ES256", 2}, {"RS256", 2}}))
      << jwks.dump();
  for (const auto& [alg, audience] : audiences) {
    const auto token = token_of(world, "&audience=" + audience);
    const auto jwt = decode_jwt(token);
    ASSERT_TRUE(jwt.has_value()) << alg << ": " << token;
    EXPECT_EQ(jwt->header["alg"], alg);
    EXPECT_EQ(jwt->header["typ"], "at+jwt");
    EXPECT_EQ(jwt->header["kid"], kids_of_alg(world.slug, alg).at("active").at(0)) << alg;
    EXPECT_EQ(jwt->payload["aud"], audience);
    EXPECT_TRUE(VerifiesWithJwks(token, jwks)) << alg;
    const auto answer = introspect(world, token);
    EXPECT_EQ(answer["active"], true) << alg << ": " << answer.dump();
    EXPECT_EQ(answer["aud"], audience) << alg;
  }
}

TEST_F(JwtAlgorithmsE2eTest, JwksMembersAreThoseOfEachKeyTypeAndMatchTheAdminList) {
  const auto world = new_world({{"token_format", "jwt"}});
  add_jwt_api(world, "es", "ES256");
  add_jwt_api(world, "rs", "RS256");
  const std::map<std::string, std::vector<std::string>> members = {
      {"EdDSA", {"alg", "crv", "kid", "kty", "use", "x"}},
      {"ES256", {"alg", "crv", "kid", "kty", "use", "x", "y"}},
      {"RS256", {"alg", "e", "kid", "kty", "n", "use"}}};
  std::map<std::string, json> admin_items;
  const auto list = expect(admin().get("/tenants/" + world.slug + "/signing-keys"), 200);
  for (const auto& item : list["items"]) {
    admin_items[item["kid"].get<std::string>()] = item;
  }
  const auto jwks = jwks_of(world.slug);
  ASSERT_EQ(jwks["keys"].size(), 6u) << jwks.dump();
  for (const auto& key : jwks["keys"]) {
    const auto alg = key["alg"].get<std::string>();
    EXPECT_EQ(keys_of(key), members.at(alg)) << key.dump();
    EXPECT_EQ(key["use"], "sig");
    const auto size_of = [&](const char* member) {
      const auto bytes = crypto::base64url_decode(key[member].get<std::string>());
      return bytes ? bytes->size() : 0u;
    };
    if (alg == "ES256") {
      EXPECT_EQ(key["kty"], "EC");
      EXPECT_EQ(key["crv"], "P-256");
      EXPECT_EQ(size_of("x"), 32u);
      EXPECT_EQ(size_of("y"), 32u);
    } else if (alg == "RS256") {
      EXPECT_EQ(key["kty"], "RSA");
      EXPECT_EQ(size_of("n"), 256u) << "RSA 2048";
      EXPECT_EQ(key["e"], "AQAB");
    } else {
      EXPECT_EQ(key["kty"], "OKP");
      EXPECT_EQ(size_of("x"), 32u);
    }
    // The admin list shows the same public members, with state and time.
    const auto& item = admin_items[key["kid"].get<std::string>()];
    for (const auto& [name, value] : key.items()) {
      if (name != "use") {
        EXPECT_EQ(item[name], value) << name << " of " << item.dump();
      }
    }
    EXPECT_TRUE(item["state"] == "active" || item["state"] == "next") << item.dump();
    EXPECT_TRUE(item["created_at"].is_string()) << item.dump();
  }
}

TEST_F(JwtAlgorithmsE2eTest, ATenantThatUsesOnlyEdDsaPublishesExactlyItsTwoEd25519Keys) {
  const auto world = new_world({});
  add_api(world.slug, "https://opaque.api.test", false, {{"token_format", "opaque"}});
  const auto jwks = jwks_of(world.slug);
  EXPECT_EQ(algs_in(jwks), (std::map<std::string, int>{{"EdDSA", 2}})) << jwks.dump();
  const auto tenant = expect(admin().get("/tenants/" + world.slug), 200);
  EXPECT_TRUE(tenant.contains("signing_alg") && tenant["signing_alg"].is_null()) << tenant.dump();
  const auto api = expect(admin().get("/tenants/" + world.slug + "/apis/" + world.api_id), 200);
  EXPECT_TRUE(api.contains("signing_alg") && api["signing_alg"].is_null()) << api.dump();
}

TEST_F(JwtAlgorithmsE2eTest, ATenantsAlgorithmIsItsApisDefaultAndItsOnlyKeys) {
  const auto world = new_world({{"token_format", "jwt"}, {"signing_alg", "ES256"}});
  EXPECT_EQ(expect(admin().get("/tenants/" + world.slug), 200)["signing_alg"], "ES256");
  const auto jwks = jwks_of(world.slug);
  EXPECT_EQ(algs_in(jwks), (std::map<std::string, int>{{"ES256", 2}})) << jwks.dump();
  const auto token = token_of(world);
  EXPECT_EQ(decode_jwt(token)->header["alg"], "ES256");
  EXPECT_TRUE(VerifiesWithJwks(token, jwks));

  // An API's own algorithm wins over the tenant's.
  const auto rs = add_jwt_api(world, "rs", "RS256");
  EXPECT_EQ(decode_jwt(token_of(world, "&audience=" + rs))->header["alg"], "RS256");
}

TEST_F(JwtAlgorithmsE2eTest, AnAlgorithmOutOfUseRetiresItsKeyWhichStillVerifiesItsTokens) {
  const auto world = new_world({{"token_format", "jwt"}});
  std::string es_id;
  const auto es = add_jwt_api(world, "es", "ES256", &es_id);
  const auto es_token = token_of(world, "&audience=" + es);
  const auto es_kids = kids_of_alg(world.slug, "ES256");

  // Back to the tenant's algorithm: ES256 is no longer in use.
  const auto patched =
      admin().patch("/tenants/" + world.slug + "/apis/" + es_id, {{"signing_alg", nullptr}});
  ASSERT_TRUE(IsJsonAnswer(patched, 200));
  EXPECT_TRUE(patched.json()["signing_alg"].is_null());
  EXPECT_EQ(decode_jwt(token_of(world, "&audience=" + es))->header["alg"], "EdDSA");

  const auto after = kids_of_alg(world.slug, "ES256");
  EXPECT_EQ(after.count("active"), 0u);
  EXPECT_EQ(after.count("next"), 0u) << "a next key that never signed goes";
  EXPECT_EQ(after.at("retired"), es_kids.at("active")) << "the active key is retired, published";
  const auto jwks = jwks_of(world.slug);
  EXPECT_EQ(algs_in(jwks), (std::map<std::string, int>{{"EdDSA", 2}, {"ES256", 1}})) << jwks.dump();
  EXPECT_TRUE(VerifiesWithJwks(es_token, jwks));
  EXPECT_EQ(introspect(world, es_token)["active"], true);
  // Gateways that accept only the advertised algorithms still take it.
  const auto oidc = expect(
      http_request("GET", url("/t/" + world.slug + "/.well-known/openid-configuration")), 200);
  EXPECT_EQ(oidc["id_token_signing_alg_values_supported"], json::array({"EdDSA", "ES256"}));

  // In use again: a fresh active and next key, not the retired one.
  ASSERT_TRUE(IsJsonAnswer(
      admin().patch("/tenants/" + world.slug + "/apis/" + es_id, {{"signing_alg", "ES256"}}), 200));
  const auto again = kids_of_alg(world.slug, "ES256");
  ASSERT_EQ(again.at("active").size(), 1u);
  EXPECT_NE(again.at("active")[0], es_kids.at("active")[0]);
  EXPECT_TRUE(VerifiesWithJwks(token_of(world, "&audience=" + es), jwks_of(world.slug)));
}

TEST_F(JwtAlgorithmsE2eTest, RotationRotatesEveryAlgorithmInUse) {
  const auto world = new_world({{"token_format", "jwt"}});
  const auto es = add_jwt_api(world, "es", "ES256");
  std::map<std::string, std::map<std::string, std::vector<std::string>>> before;
  for (const char* alg : {"EdDSA", "ES256"}) before[alg] = kids_of_alg(world.slug, alg);
  const auto old_token = token_of(world, "&audience=" + es);

  const auto rotated =
      admin().post("/tenants/" + world.slug + "/signing-keys/rotate", json::object());
  ASSERT_TRUE(IsJsonAnswer(rotated, 200));
  EXPECT_EQ(rotated.json()["items"].size(), 6u) << rotated.body;

  for (const char* alg : {"EdDSA", "ES256"}) {
    const auto after = kids_of_alg(world.slug, alg);
    EXPECT_EQ(after.at("active"), before[alg].at("next")) << alg << ": the next key signs now";
    EXPECT_EQ(after.at("retired"), before[alg].at("active")) << alg;
    ASSERT_EQ(after.at("next").size(), 1u) << alg;
  }
  EXPECT_EQ(kids_of_alg(world.slug, "RS256").size(), 0u) << "RS256 is not in use";
  const auto token = token_of(world, "&audience=" + es);
  EXPECT_EQ(decode_jwt(token)->header["kid"], before["ES256"].at("next").at(0));
  const auto jwks = jwks_of(world.slug);
  EXPECT_TRUE(VerifiesWithJwks(token, jwks));
  EXPECT_TRUE(VerifiesWithJwks(old_token, jwks));
}

TEST_F(JwtAlgorithmsE2eTest, OpenIdDiscoveryIsTheRfc8414DocumentPlusTheGatewayFields) {
  const auto world = new_world({{"token_format", "jwt"}});
  add_jwt_api(world, "rs", "RS256");
  const auto oidc = expect(
      http_request("GET", url("/t/" + world.slug + "/.well-known/openid-configuration")), 200);
  const auto rfc8414 = discovery_of(world.slug);
  // What a client assertion (private_key_jwt) may be signed with.
  EXPECT_EQ(rfc8414["token_endpoint_auth_signing_alg_values_supported"],
            json::array({"EdDSA", "ES256", "RS256"}))
      << rfc8414.dump();
  json expected = rfc8414;
  expected["id_token_signing_alg_values_supported"] = {"EdDSA", "RS256"};
  expected["subject_types_supported"] = {"public"};
  EXPECT_EQ(oidc, expected);
  EXPECT_EQ(oidc["issuer"], kIssuerBase + "/t/" + world.slug);
}

TEST_F(JwtAlgorithmsE2eTest, OpenIdDiscoveryIsNotServedAtATenantsDomainRoot) {
  const auto slug = unique_name("oidc");
  const auto domain = slug + ".example.test";
  expect(admin().post("/tenants", {{"slug", slug}, {"name", "OIDC"}, {"domains", {domain}}}), 201);
  // The RFC 8414 document is there, by Host; the OpenID one only under /t/.
  EXPECT_TRUE(IsJsonAnswer(
      http_request("GET", url("/.well-known/oauth-authorization-server"), "", {"Host: " + domain}),
      200));
  const auto at_root =
      http_request("GET", url("/.well-known/openid-configuration"), "", {"Host: " + domain});
  ASSERT_TRUE(IsJsonAnswer(at_root, 404)) << describe(at_root);
  EXPECT_EQ(at_root.json()["error"], "not_found");
  EXPECT_TRUE(IsJsonAnswer(
      http_request("GET", url("/t/" + slug + "/.well-known/openid-configuration")), 200));
}

TEST_F(JwtAlgorithmsE2eTest, AnAlgorithmOutsideTheThreeIsA400NamingTheField) {
  const auto world = new_world({});
  for (const json& alg : {json("HS256"), json("es256"), json("none"), json(256), json::array()}) {
    const auto tenant = admin().post(
        "/tenants", {{"slug", unique_name("alg")}, {"name", "Alg"}, {"signing_alg", alg}});
    ASSERT_TRUE(IsJsonAnswer(tenant, 400)) << alg.dump();
    EXPECT_EQ(tenant.json()["error"], "invalid_request");
    EXPECT_NE(tenant.json()["message"].get<std::string>().find("signing_alg"), std::string::npos)
        << tenant.body;
    const auto api =
        admin().patch("/tenants/" + world.slug + "/apis/" + world.api_id, {{"signing_alg", alg}});
    ASSERT_TRUE(IsJsonAnswer(api, 400)) << alg.dump();
    EXPECT_EQ(api.json()["error"], "invalid_request");
  }
  EXPECT_EQ(algs_in(jwks_of(world.slug)), (std::map<std::string, int>{{"EdDSA", 2}}))
      << "nothing changed";
}

}  // namespace
}  // namespace tessera::test
