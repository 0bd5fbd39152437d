// Signing keys over the admin API (SPEC §3.4, §4): a new tenant's two keys,
// rotation, and what a rotated key signs and publishes.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "crypto/base64url.hpp"
#include "e2e/lifecycle_fixture.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

class LifecycleSigningKeysE2eTest : public LifecycleSuite<LifecycleSigningKeysE2eTest> {};

// --- Signing keys -----------------------------------------------------------

// The signing keys of a listing by state (the last one of each).
std::map<std::string, json> by_state(const json& items) {
  std::map<std::string, json> keys;
  for (const auto& key : items) keys[key["state"].get<std::string>()] = key;
  return keys;
}

TEST_F(LifecycleSigningKeysE2eTest, ANewTenantHasOneActiveAndOneNextSigningKey) {
  const auto tenant = new_tenant("sig");
  const auto response = admin().get("/tenants/" + tenant.slug + "/signing-keys");
  ASSERT_TRUE(IsJsonAnswer(response, 200));
  const auto body = response.json();
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"items", "next_cursor"}));
  EXPECT_TRUE(body["next_cursor"].is_null());
  ASSERT_EQ(body["items"].size(), 2u) << response.body;
  const std::regex x_pattern("^[A-Za-z0-9_-]{43}$");
  for (const auto& key : body["items"]) {
    EXPECT_EQ(keys_of(key),
              (std::vector<std::string>{"alg", "created_at", "crv", "kid", "kty", "state", "x"}))
        << key.dump();
    EXPECT_EQ(key["alg"], "EdDSA");
    EXPECT_EQ(key["kty"], "OKP");
    EXPECT_EQ(key["crv"], "Ed25519");
    EXPECT_TRUE(key["kid"].is_string() && key["kid"] != "") << key.dump();
    EXPECT_TRUE(key["x"].is_string() && std::regex_match(key["x"].get<std::string>(), x_pattern))
        << key.dump();
    EXPECT_TRUE(is_rfc3339_utc(key["created_at"])) << key.dump();
  }
  const auto keys = by_state(body["items"]);
  ASSERT_EQ(keys.size(), 2u) << "one active and one next: " << response.body;
  ASSERT_EQ(keys.count("active"), 1u) << response.body;
  ASSERT_EQ(keys.count("next"), 1u) << response.body;
  EXPECT_NE(keys.at("active")["kid"], keys.at("next")["kid"]);
  EXPECT_NE(keys.at("active")["x"], keys.at("next")["x"]);
}

TEST_F(LifecycleSigningKeysE2eTest,
       RotatingSigningKeysActivatesTheNextRetiresTheActiveAndAddsANext) {
  const auto tenant = new_tenant("sig");
  const auto path = "/tenants/" + tenant.slug + "/signing-keys";
  const auto before_response = admin().get(path);
  ASSERT_TRUE(IsJsonAnswer(before_response, 200));
  const auto before = by_state(before_response.json()["items"]);
  ASSERT_EQ(before.size(), 2u);

  const auto rotated = admin().post(path + "/rotate", json::object());
  ASSERT_TRUE(IsJsonAnswer(rotated, 200));
  const auto body = rotated.json();
  ASSERT_TRUE(body.contains("items") && body["items"].is_array()) << rotated.body;
  ASSERT_EQ(body["items"].size(), 3u) << rotated.body;
  const auto after = by_state(body["items"]);
  ASSERT_EQ(after.size(), 3u) << "one next, one active, one retired: " << rotated.body;
  ASSERT_EQ(after.count("retired"), 1u) << rotated.body;
  ASSERT_EQ(after.count("next"), 1u) << rotated.body;
  ASSERT_EQ(after.count("active"), 1u) << rotated.body;
  EXPECT_EQ(after.at("active")["kid"], before.at("next")["kid"]);
  EXPECT_EQ(after.at("active")["x"], before.at("next")["x"]);
  EXPECT_EQ(after.at("retired")["kid"], before.at("active")["kid"]);
  EXPECT_EQ(after.at("retired")["x"], before.at("active")["x"]);
  EXPECT_NE(after.at("next")["kid"], before.at("next")["kid"]);
  EXPECT_NE(after.at("next")["kid"], before.at("active")["kid"]);
  EXPECT_NE(after.at("next")["x"], before.at("next")["x"]);
  EXPECT_TRUE(std::regex_match(after.at("next")["x"].get<std::string>(),
                               std::regex("^[A-Za-z0-9_-]{43}$")));

  const auto listed = admin().get(path);
  ASSERT_TRUE(IsJsonAnswer(listed, 200));
  EXPECT_EQ(by_state(listed.json()["items"]), after) << "the listing agrees with the rotation";
}

// The `kid` in the header of a JWT ("" when it has none).
std::string kid_of(const std::string& jwt) {
  const auto header = crypto::base64url_decode(jwt.substr(0, jwt.find('.')));
  if (!header || !json::accept(*header)) return "";
  const auto parsed = json::parse(*header);
  return parsed.contains("kid") && parsed["kid"].is_string() ? parsed["kid"].get<std::string>()
                                                             : "";
}

TEST_F(LifecycleSigningKeysE2eTest, ARotatedSigningKeySignsTheNextJwtAndStaysPublishedWhenRetired) {
  const auto slug = unique_name("jwt");
  ASSERT_TRUE(IsJsonAnswer(
      admin().post("/tenants", {{"slug", slug}, {"name", "JWT"}, {"token_format", "jwt"}}), 201));
  const auto api_id = fx().create_api(slug, "https://" + slug + ".test", {"read"}, true);
  const auto c = new_client(slug, api_id, {"read"});
  const auto path = "/tenants/" + slug + "/signing-keys";
  const auto before = by_state(admin().get(path).json()["items"]);
  ASSERT_EQ(before.count("active"), 1u);
  ASSERT_EQ(before.count("next"), 1u);

  const auto first = access_token_of(request_token(slug, c));
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(kid_of(first), before.at("active")["kid"]);

  const auto rotated = admin().post(path + "/rotate", json::object());
  ASSERT_TRUE(IsJsonAnswer(rotated, 200));
  const auto after = by_state(rotated.json()["items"]);
  ASSERT_EQ(after.count("next"), 1u) << rotated.body;
  const auto second = access_token_of(request_token(slug, c));
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(kid_of(second), before.at("next")["kid"]) << "the old next key signs at once (SPEC §6)";

  // The retired key signed a token that is still valid: JWKS keeps it (§3.4).
  const auto jwks =
      http_request("GET", server_->server.public_url() + "/t/" + slug + "/.well-known/jwks.json");
  // Served as application/jwk-set+json (RFC 7517 §8.5), so not IsJsonAnswer.
  ASSERT_EQ(jwks.status, 200) << describe(jwks);
  ASSERT_TRUE(json::accept(jwks.body) && json::parse(jwks.body).contains("keys")) << jwks.body;
  std::set<std::string> published;
  const auto set = jwks.json();
  for (const auto& key : set["keys"]) published.insert(key["kid"].get<std::string>());
  EXPECT_EQ(published, (std::set<std::string>{before.at("active")["kid"].get<std::string>(),
                                              before.at("next")["kid"].get<std::string>(),
                                              after.at("next")["kid"].get<std::string>()}))
      << jwks.body;
}

}  // namespace
}  // namespace tessera::test
