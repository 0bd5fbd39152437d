// tessctl and signing algorithms (SPEC §3.4, §4): --signing-alg on tenants
// and APIs, an ALG column in their tables, and the signing keys of every
// algorithm in use in `signing-key list`.
#include <gtest/gtest.h>

#include <set>

#include "e2e/admin_api.hpp"
#include "e2e/tessctl_runner.hpp"
#include "e2e/tessctl_server_fixture.hpp"

namespace tessera::test {
namespace {

// --- Without a server -------------------------------------------------------

// Refused before any request: a value tessctl cannot send.
TEST(TessctlSigningCliE2eTest, AnUnknownOrClearingAlgorithmWhereNoneMayBeIsAUsageError) {
  const Env env = {{"TESSCTL_URL", "http://127.0.0.1:" + std::to_string(free_port())},
                   {"TESSCTL_ADMIN_KEY", "tsk_9_secretsecretsecretsecretsecretsecret123"}};
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      // JOSE names are case-sensitive.
      {{"tenant", "create", "acme", "--name", "A", "--signing-alg", "es256"},
       "--signing-alg: must be one of EdDSA, ES256, RS256"},
      {{"tenant", "create", "acme", "--name", "A", "--signing-alg", "HS256"},
       "--signing-alg: must be one of EdDSA, ES256, RS256"},
      // There is nothing to inherit from when creating.
      {{"tenant", "create", "acme", "--name", "A", "--signing-alg", "inherit"},
       "--signing-alg: must be one of EdDSA, ES256, RS256"},
      {{"api", "create", "acme", "https://a.test", "--name", "A", "--signing-alg", "inherit"},
       "--signing-alg: must be one of EdDSA, ES256, RS256"},
      // "none" would read as JOSE's unsigned "alg":"none".
      {{"tenant", "update", "acme", "--signing-alg", "none"},
       "--signing-alg: tokens are always signed; inherit clears the setting"},
      {{"api", "update", "acme", "1", "--signing-alg", "none"},
       "--signing-alg: tokens are always signed; inherit clears the setting"},
      {{"api", "update", "acme", "1", "--signing-alg", "RS512"},
       "--signing-alg: must be one of EdDSA, ES256, RS256 or inherit"},
      {{"tenant", "update", "acme", "--signing-alg"}, "--signing-alg needs a value"},
  };
  for (const auto& [args, start] : cases) {
    SCOPED_TRACE(::testing::PrintToString(args));
    EXPECT_TRUE(FailedWith(tessctl(args, env), start));
  }
}

// --- Against the real server ------------------------------------------------

class TessctlSigningE2eTest : public TessctlServerTest {};

// The public JWK members of a signing-key item, by algorithm (SPEC §3.4).
void ExpectJwkMembers(const json& key) {
  SCOPED_TRACE(key.dump());
  const auto alg = key.value("alg", std::string());
  if (alg == "EdDSA") {
    EXPECT_EQ(key["kty"], "OKP");
    EXPECT_EQ(key["crv"], "Ed25519");
    EXPECT_TRUE(key["x"].is_string());
  } else if (alg == "ES256") {
    EXPECT_EQ(key["kty"], "EC");
    EXPECT_EQ(key["crv"], "P-256");
    EXPECT_TRUE(key["x"].is_string());
    EXPECT_TRUE(key["y"].is_string());
  } else if (alg == "RS256") {
    EXPECT_EQ(key["kty"], "RSA");
    EXPECT_TRUE(key["n"].is_string());
    EXPECT_TRUE(key["e"].is_string());
  } else {
    ADD_FAILURE() << "unexpected alg";
  }
}

TEST_F(TessctlSigningE2eTest, TenantsAndApisSetTheirAlgorithmAndTheKeysOfBothAreListed) {
  const auto slug = unique_name("tctl-alg");

  // A tenant that signs with ES256: the record and the JSON say so.
  auto run = ctl({"tenant", "create", slug, "--name", "Alg Co", "--signing-alg", "ES256"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"signing_alg", "ES256"})) << run.out;
  run = ctl({"tenant", "get", slug, "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["signing_alg"], "ES256") << run.out;
  run = ctl({"tenant", "list"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {slug, "ES256"})) << run.out;

  // An API that inherits (null), then signs with RS256.
  const std::string identifier = "https://api." + slug + ".test";
  run = ctl({"api", "create", slug, identifier, "--name", "Orders", "--format", "jwt", "--json"});
  ASSERT_TRUE(Succeeded(run));
  const auto created = json_of(run);
  EXPECT_TRUE(created.contains("signing_alg") && created["signing_alg"].is_null()) << run.out;
  const auto api_id = std::to_string(created["id"].get<long long>());
  run = ctl({"api", "update", slug, api_id, "--signing-alg", "RS256"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"signing_alg", "RS256"})) << run.out;
  run = ctl({"api", "list", slug});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {identifier, "RS256"})) << run.out;

  // Keys of both algorithms, each with its JWK members; an ALG column.
  run = ctl({"signing-key", "list", slug, "--json"});
  ASSERT_TRUE(Succeeded(run));
  std::set<std::string> active;
  const auto keys = json_of(run);  // alive for the loop: items is a part of it
  for (const auto& key : keys["items"]) {
    ExpectJwkMembers(key);
    if (key["state"] == "active") active.insert(key.value("alg", std::string()));
  }
  EXPECT_EQ(active.count("ES256"), 1u) << run.out;
  EXPECT_EQ(active.count("RS256"), 1u) << run.out;
  run = ctl({"signing-key", "list", slug});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"KID", "ALG", "STATE"})) << run.out;
  EXPECT_TRUE(has_line_with(run.out, {"ES256", "active"})) << run.out;
  EXPECT_TRUE(has_line_with(run.out, {"RS256", "active"})) << run.out;

  // inherit clears the API's setting and the tenant's.
  run = ctl({"api", "update", slug, api_id, "--signing-alg", "inherit", "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(json_of(run)["signing_alg"].is_null()) << run.out;
  run = ctl({"tenant", "update", slug, "--signing-alg", "inherit", "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(json_of(run)["signing_alg"].is_null()) << run.out;
}

}  // namespace
}  // namespace tessera::test
