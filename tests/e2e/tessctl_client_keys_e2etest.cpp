// tessctl and client keys (private_key_jwt, RFC 7523 §2.2), run as a process
// against the real server: `client create --auth-method private_key_jwt`
// with JWK files, `client key list | add | remove` in tables and JSON, their
// refusals as one line, and help for the two-word group.
#include <gtest/gtest.h>

#include "e2e/admin_api.hpp"
#include "e2e/client_jwk.hpp"
#include "e2e/tessctl_runner.hpp"
#include "e2e/tessctl_server_fixture.hpp"
#include "support/test_env.hpp"

namespace tessera::test {
namespace {

TEST(TessctlClientKeysCliE2eTest, TheClientKeyGroupHasHelpOnEveryLevel) {
  std::vector<std::vector<std::string>> lines = {{"client", "key", "--help"}};
  for (const auto* command : {"list", "add", "remove"}) {
    lines.push_back({"client", "key", command, "--help"});
    lines.push_back({"--json", "client", "-h", "key", command});
  }
  for (const auto& line : lines) {
    SCOPED_TRACE(::testing::PrintToString(line));
    const auto run = tessctl(line, {});
    EXPECT_TRUE(Succeeded(run));
    EXPECT_EQ(run.out.rfind("Usage: tessctl client key", 0), 0u) << run.out;
  }
  EXPECT_NE(tessctl({"--help"}, {}).out.find("client key"), std::string::npos);
  EXPECT_NE(tessctl({"client", "create", "--help"}, {}).out.find("--auth-method"),
            std::string::npos);
}

class TessctlClientKeysE2eTest : public TessctlServerTest {
 protected:
  static std::string new_tenant() {
    const auto slug = unique_name("tctl-keys");
    EXPECT_TRUE(Succeeded(ctl({"tenant", "create", slug, "--name", "Keys"})));
    return slug;
  }
};

TEST_F(TessctlClientKeysE2eTest, AKeyOnlyClientFromAJwkSetFileAndItsKeys) {
  const auto slug = new_tenant();
  const auto first = ed25519_jwk("first");
  const auto jwks_file = temp_file(json({{"keys", {first}}}).dump());
  auto run = ctl({"client", "create", slug, "Signer", "--auth-method", "private_key_jwt", "--jwks",
                  jwks_file, "--json"});
  ASSERT_TRUE(Succeeded(run));
  const auto created = json_of(run);
  EXPECT_FALSE(created.contains("client_secret")) << run.out;
  EXPECT_EQ(created["token_endpoint_auth_method"], "private_key_jwt");
  const auto client_id = created["client_id"].get<std::string>();

  // The table says there is no secret, rather than to store one.
  run = ctl({"client", "create", slug, "Signer 2", "--auth-method", "private_key_jwt", "--jwk",
             temp_file(ed25519_jwk().dump())});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"token_endpoint_auth_method", "private_key_jwt"})) << run.out;
  EXPECT_NE(run.out.find("no secret"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("client_secret"), std::string::npos) << run.out;

  run = ctl({"client", "key", "list", slug, client_id});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"ID", "KID", "ALG", "THUMBPRINT"})) << run.out;
  EXPECT_TRUE(has_line_with(run.out, {"first", "EdDSA"})) << run.out;

  // add: a file, or stdin.
  run = ctl(
      {"client", "key", "add", slug, client_id, temp_file(ed25519_jwk("second").dump()), "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["kid"], "second");
  EXPECT_EQ(json_of(run)["jwk"]["use"], "sig");
  const auto second_id = json_of(run)["id"].dump();
  run = ctl({"client", "key", "add", slug, client_id, "-"}, ed25519_jwk("third").dump());
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"kid", "third"})) << run.out;

  run = ctl({"client", "key", "list", slug, client_id, "--json"});
  ASSERT_TRUE(Succeeded(run));
  const auto keys = json_of(run)["items"];
  ASSERT_EQ(keys.size(), 3u);

  run = ctl({"client", "key", "remove", slug, client_id, second_id});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_NE(run.out.find("removed"), std::string::npos) << run.out;
  EXPECT_TRUE(
      FailedWith(ctl({"client", "key", "remove", slug, client_id, second_id}), "404 not_found: "));

  // Refusals of the server, one line each.
  EXPECT_TRUE(FailedWith(ctl({"client", "key", "add", slug, client_id, "-"}, first.dump()),
                         "409 conflict: thumbprint: "));
  auto with_private = ed25519_jwk();
  with_private["d"] = with_private["x"];
  EXPECT_TRUE(FailedWith(ctl({"client", "key", "add", slug, client_id, "-"}, with_private.dump()),
                         "400 invalid_request: jwk: "));
  EXPECT_TRUE(FailedWith(ctl({"client", "rotate-secret", slug, client_id}), "409 conflict: "));
  EXPECT_TRUE(
      FailedWith(ctl({"client", "create", slug, "No keys", "--auth-method", "private_key_jwt"}),
                 "400 invalid_request: jwks: "));

  // Refusals of tessctl itself.
  EXPECT_TRUE(FailedWith(ctl({"client", "key", "add", slug, client_id, "/no/such/file"}),
                         "<file>: cannot read"));
  EXPECT_TRUE(
      FailedWith(ctl({"client", "key", "add", slug, client_id, "-"}, "not json"), "<file>: "));
  EXPECT_TRUE(FailedWith(ctl({"client", "create", slug, "x", "--auth-method", "magic"}),
                         "--auth-method: "));
}

TEST_F(TessctlClientKeysE2eTest, ASecretClientWithKeysAndAJwksUri) {
  const auto slug = new_tenant();
  auto run = ctl({"client", "create", slug, "Both", "--jwk", temp_file(ed25519_jwk().dump()),
                  "--jwk", temp_file(ed25519_jwk().dump()), "--json"});
  ASSERT_TRUE(Succeeded(run));
  const auto created = json_of(run);
  EXPECT_TRUE(created["client_secret"].is_string());
  EXPECT_EQ(created["token_endpoint_auth_method"], "client_secret_basic");
  const auto client_id = created["client_id"].get<std::string>();
  run = ctl({"client", "key", "list", slug, client_id, "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["items"].size(), 2u);

  run = ctl(
      {"client", "update", slug, client_id, "--jwks-uri", "https://keys.example/jwks", "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["jwks_uri"], "https://keys.example/jwks");
  run = ctl({"client", "get", slug, client_id});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"jwks_uri", "https://keys.example/jwks"})) << run.out;
  run = ctl({"client", "update", slug, client_id, "--jwks-uri", "none", "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(json_of(run)["jwks_uri"].is_null());
}

}  // namespace
}  // namespace tessera::test
