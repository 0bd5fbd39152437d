// tessctl, the admin command-line client (SPEC §1), run as a process
// against the real server: help on every level, one-line failures that never
// show the key, JSON and table output, and the operator's whole story —
// tenant, API, client, grant, token, secret rotation with a grace period,
// revocation, disabling, the audit trail, tenant keys and bulk revocation.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "e2e/admin_api.hpp"
#include "e2e/tessctl_runner.hpp"
#include "e2e/tessctl_server_fixture.hpp"
#include "e2e/token_fixture.hpp"
#include "support/test_env.hpp"

namespace tessera::test {
namespace {

// The commands of SPEC §1, for --help on every level.
const std::vector<std::pair<std::string, std::vector<std::string>>> kCommands = {
    {"tenant", {"create", "list", "get", "update", "delete"}},
    {"api", {"create", "list", "get", "update", "delete"}},
    {"client",
     {"create", "list", "get", "update", "disable", "enable", "delete", "rotate-secret", "secrets",
      "revoke-secret"}},
    {"grant", {"list", "set", "delete"}},
    {"token", {"list", "get", "revoke", "revoke-all"}},
    {"signing-key", {"list", "rotate"}},
    {"audit", {"list"}},
    {"admin-key", {"create", "list", "delete"}}};

// --- Without a server -------------------------------------------------------

TEST(TessctlCliE2eTest, HelpOnEveryLevelExitsZeroAndPrintsUsage) {
  std::vector<std::vector<std::string>> lines = {{"--help"}, {"-h"}, {"help"}};
  for (const auto& [group, commands] : kCommands) {
    lines.push_back({group, "--help"});
    for (const auto& command : commands) {
      lines.push_back({group, command, "--help"});
      lines.push_back({"--json", group, "-h", command});  // flags anywhere
    }
  }
  for (const auto& line : lines) {
    SCOPED_TRACE(::testing::PrintToString(line));
    const auto run = tessctl(line, {});
    EXPECT_TRUE(Succeeded(run));
    EXPECT_EQ(run.out.rfind("Usage: tessctl", 0), 0u) << run.out;
  }
  EXPECT_NE(tessctl({"--help"}, {}).out.find("TESSCTL_ADMIN_KEY"), std::string::npos);
}

TEST(TessctlCliE2eTest, AMissingKeyIsOneLineOnStderr) {
  const auto run = tessctl({"tenant", "list"}, {{"TESSCTL_URL", "http://127.0.0.1:1"}});
  EXPECT_TRUE(FailedWith(run, "no admin key"));
}

TEST(TessctlCliE2eTest, UsageErrorsAreOneLineAndNeverShowTheKey) {
  const std::string key = "tsk_9_secretsecretsecretsecretsecretsecret123";
  const Env env = {{"TESSCTL_URL", "http://127.0.0.1:" + std::to_string(free_port())},
                   {"TESSCTL_ADMIN_KEY", key}};
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{}, "missing command"},
      {{"frobnicate"}, "unknown command"},
      {{"tenant"}, "tenant: missing subcommand"},
      {{"tenant", "explode", "x"}, "tenant: unknown subcommand"},
      {{"tenant", "get"}, "tenant get: missing arguments"},
      {{"tenant", "get", "a", "b"}, "tenant get: too many arguments"},
      {{"tenant", "list", "--colour"}, "unknown option --colour"},
      {{"tenant", "list", "--scope", "read"}, "tenant list: --scope does not apply"},
      {{"tenant", "create", "acme"}, "tenant create: --name is required"},
      {{"tenant", "create", "acme", "--name", "A", "--format", "xml"}, "--format: must be one of"},
      {{"tenant", "update", "acme"}, "tenant update: nothing to change"},
      {{"client", "rotate-secret", "acme", "c", "--grace", "1y"},
       "--grace: '1y' is not a duration"},
      {{"token", "list", "acme", "--active", "maybe"}, "--active: must be true or false"},
      {{"audit", "list", "acme", "--limit", "0"}, "--limit: must be a whole number"},
      {{"tenant", "list", "--name"}, "--name needs a value"},
      // Valid, but nothing listens there: the transport error names the URL only.
      {{"tenant", "list"}, "cannot reach http://127.0.0.1:"},
      {{"tenant", "list", "--key", key + "-other"}, "cannot reach"},
  };
  for (const auto& [args, start] : cases) {
    SCOPED_TRACE(::testing::PrintToString(args));
    const auto run = tessctl(args, env);
    EXPECT_TRUE(FailedWith(run, start));
    EXPECT_EQ(run.err.find("secretsecret"), std::string::npos) << run.err;
  }
}

// --- Against the real server ------------------------------------------------

class TessctlE2eTest : public TessctlServerTest {
 protected:
  static HttpResult token(const std::string& slug, const std::string& id,
                          const std::string& secret) {
    return post_token(server_->server.public_url() + "/t/" + slug + "/oauth/token",
                      kClientCredentials, {basic_auth(id, secret)});
  }
};

TEST_F(TessctlE2eTest, RefusalsOfTheApiAreOneLineWithStatusCodeAndField) {
  const auto slug = unique_name("tctl-err");
  ASSERT_TRUE(Succeeded(ctl({"tenant", "create", slug, "--name", "Errors"})));
  EXPECT_TRUE(
      FailedWith(ctl({"tenant", "create", slug, "--name", "Again"}), "409 conflict: slug: "));
  EXPECT_TRUE(FailedWith(ctl({"tenant", "get", "no-such-tenant"}), "404 not_found: "));
  EXPECT_TRUE(FailedWith(ctl({"tenant", "create", "Bad Slug", "--name", "X"}),
                         "400 invalid_request: slug: "));
  const std::string wrong_key = "tsk_1_wrongwrongwrongwrongwrongwrongwrongwron";
  const auto run = tessctl({"tenant", "list"}, env_with(wrong_key));
  EXPECT_TRUE(FailedWith(run, "401 unauthorized: "));
  EXPECT_EQ(run.err.find("wrongwrong"), std::string::npos) << run.err;
}

// Client ids are base64url, so one in 64 starts with '-' (one did, and
// TheOperatorsStoryFromTenantToBulkRevocation failed with "unknown option
// -oxoj7Rji8XSfnDsF66NMw"): such a word is an argument. tessctl's only
// short option is -h.
TEST_F(TessctlE2eTest, AnIdStartingWithADashIsAnArgumentNotAnOption) {
  const auto slug = unique_name("tctl-dash");
  ASSERT_TRUE(Succeeded(ctl({"tenant", "create", slug, "--name", "Dash"})));
  EXPECT_TRUE(
      FailedWith(ctl({"client", "get", slug, "-oxoj7Rji8XSfnDsF66NMw"}), "404 not_found: "));
  EXPECT_TRUE(FailedWith(ctl({"client", "get", slug, "-oxoj7Rji8XSfnDsF66NMw", "--colour"}),
                         "unknown option --colour"));
  EXPECT_TRUE(Succeeded(ctl({"client", "get", "-h"})));
}

TEST_F(TessctlE2eTest, TheOperatorsStoryFromTenantToBulkRevocation) {
  const auto slug = unique_name("tctl");
  const std::string api = "https://api." + slug + ".test";

  // Tenant, API with scopes, client, grant.
  auto run = ctl({"--json", "tenant", "create", slug, "--name", "Tessctl Co", "--ttl", "1h"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["slug"], slug);
  EXPECT_EQ(json_of(run)["default_token_ttl"], 3600);
  run = ctl({"tenant", "list"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {slug, "Tessctl Co", "active", "3600"})) << run.out;

  run = ctl({"api", "create", slug, api, "--name", "Main API", "--scope", "read=Read things",
             "--scope", "write", "--default", "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["is_default"], true);
  EXPECT_EQ(json_of(run)["scopes"].size(), 2u);
  run = ctl({"api", "get", slug, api});  // the identifier, percent-encoded in the path
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"scopes", "read (Read things), write"})) << run.out;

  run = ctl({"client", "create", slug, "Billing service", "--json"});
  ASSERT_TRUE(Succeeded(run));
  const auto client_id = json_of(run)["client_id"].get<std::string>();
  const auto first_secret = json_of(run)["client_secret"].get<std::string>();
  run = ctl({"client", "create", slug, "Printed"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"client_secret"})) << run.out;
  EXPECT_NE(run.out.find("shown this once"), std::string::npos) << run.out;

  run =
      ctl({"grant", "set", slug, client_id, api, "--scope", "read", "--scope", "write", "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["scopes"], json({"read", "write"}));
  run = ctl({"grant", "list", slug, client_id});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"read,write"})) << run.out;

  // A token over HTTP, then seen by `token list`.
  ASSERT_TRUE(IsToken(token(slug, client_id, first_secret), "read write"));
  run = ctl({"token", "list", slug, "--client", client_id, "--json"});
  ASSERT_TRUE(Succeeded(run));
  ASSERT_EQ(json_of(run)["items"].size(), 1u) << run.out;
  const auto token_id = json_of(run)["items"][0]["id"].get<std::string>();
  run = ctl({"token", "list", slug});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {token_id, client_id, "read write"})) << run.out;
  run = ctl({"token", "get", slug, token_id, "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["client_id"], client_id);

  // Rotation with a grace period: both secrets work.
  run = ctl({"client", "rotate-secret", slug, client_id, "--grace", "1h"});
  ASSERT_TRUE(Succeeded(run));
  std::smatch match;
  ASSERT_TRUE(std::regex_search(run.out, match, std::regex("client_secret +([A-Za-z0-9_-]+)")))
      << run.out;
  const std::string second_secret = match[1];
  EXPECT_NE(run.out.find("shown this once"), std::string::npos) << run.out;
  EXPECT_TRUE(IsToken(token(slug, client_id, first_secret), "read write"));
  EXPECT_TRUE(IsToken(token(slug, client_id, second_secret), "read write"));

  // Revoking the old secret: it stops, the new one works, the last one stays.
  run = ctl({"client", "secrets", slug, client_id, "--json"});
  ASSERT_TRUE(Succeeded(run));
  const auto secrets = json_of(run)["items"];
  ASSERT_EQ(secrets.size(), 2u) << run.out;
  const auto old_secret = secrets[0]["expires_at"].is_null() ? secrets[1] : secrets[0];
  const auto new_secret = secrets[0]["expires_at"].is_null() ? secrets[0] : secrets[1];
  ASSERT_FALSE(old_secret["expires_at"].is_null()) << "the grace period shows as expires_at";
  ASSERT_TRUE(
      Succeeded(ctl({"client", "revoke-secret", slug, client_id, old_secret["id"].dump()})));
  EXPECT_TRUE(IsInvalidClient(token(slug, client_id, first_secret), true));
  EXPECT_TRUE(IsToken(token(slug, client_id, second_secret), "read write"));
  EXPECT_TRUE(FailedWith(ctl({"client", "revoke-secret", slug, client_id, new_secret["id"].dump()}),
                         "409 conflict: "));

  // Disabling the client stops it.
  run = ctl({"client", "disable", slug, client_id});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"status", "disabled"})) << run.out;
  EXPECT_TRUE(IsInvalidClient(token(slug, client_id, second_secret), true));

  // The audit trail shows what was done.
  run = ctl({"audit", "list", slug, "--json"});
  ASSERT_TRUE(Succeeded(run));
  std::set<std::string> actions;
  const auto events = json_of(run)["items"];
  for (const auto& event : events) actions.insert(event["action"].get<std::string>());
  for (const auto* action : {"tenant.create", "api.create", "client.create", "grant.put",
                             "client.secret.rotate", "client.secret.revoke", "client.update"}) {
    EXPECT_EQ(actions.count(action), 1u) << action << " in " << run.out;
  }
  run = ctl({"audit", "list", slug});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"client.secret.rotate", client_id, "grace_seconds"}))
      << run.out;
  run = ctl({"audit", "list", slug, "--limit", "2", "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["items"].size(), 2u);
  EXPECT_TRUE(json_of(run)["next_cursor"].is_string()) << run.out;

  // A tenant key sees only its tenant.
  ASSERT_TRUE(Succeeded(ctl({"tenant", "create", unique_name("tctl-other"), "--name", "Other"})));
  run = ctl({"admin-key", "create", "ops", "--tenant", slug, "--json"});
  ASSERT_TRUE(Succeeded(run));
  const auto tenant_key = json_of(run)["key"].get<std::string>();
  run = tessctl({"tenant", "list", "--json"}, env_with(tenant_key));
  ASSERT_TRUE(Succeeded(run));
  ASSERT_EQ(json_of(run)["items"].size(), 1u) << run.out;
  EXPECT_EQ(json_of(run)["items"][0]["slug"], slug);
  EXPECT_GE(json_of(ctl({"tenant", "list", "--json"}))["items"].size(), 2u);

  // Bulk revocation prints the count: the four tokens issued above.
  run = ctl({"token", "revoke-all", slug});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(run.out, "Revoked 4 tokens.\n");
  run = ctl({"token", "revoke-all", slug, "--client", client_id, "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run), json({{"revoked", 0}}));
  EXPECT_TRUE(json_of(ctl({"token", "list", slug, "--active", "true", "--json"}))["items"].empty());
}

TEST_F(TessctlE2eTest, EveryOtherCommandDoesWhatItSays) {
  const auto slug = unique_name("tctl-misc");
  ASSERT_TRUE(
      Succeeded(ctl({"tenant", "create", slug, "--name", "Misc", "--domain", "Misc.Example"})));
  auto run =
      ctl({"tenant", "update", slug, "--ttl", "none", "--format", "jwt", "--no-domains", "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["token_format"], "jwt");
  EXPECT_EQ(json_of(run)["domains"], json::array());

  run = ctl(
      {"api", "create", slug, "orders", "--name", "Orders", "--scope", "orders:read", "--json"});
  ASSERT_TRUE(Succeeded(run));
  const auto api_id = json_of(run)["id"].dump();
  run = ctl({"api", "update", slug, api_id, "--scope", "orders:read", "--scope", "orders:write",
             "--default", "true", "--ttl", "15m", "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["token_ttl"], 900);
  EXPECT_EQ(json_of(run)["is_default"], true);
  run = ctl({"api", "list", slug});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"orders", "Orders", "true", "orders:read,orders:write"}))
      << run.out;

  // An imported secret read from stdin never appears on the command line.
  const std::string imported = "an-imported-secret-of-more-than-32-characters";
  run = ctl({"client", "create", slug, "Imported", "--secret", "-", "--introspect", "--json"},
            imported + "\n");
  ASSERT_TRUE(Succeeded(run));
  EXPECT_EQ(json_of(run)["client_secret"], imported);
  EXPECT_EQ(json_of(run)["can_introspect"], true);
  const auto client_id = json_of(run)["client_id"].get<std::string>();
  run = ctl({"client", "update", slug, client_id, "--name", "Renamed", "--introspect", "false"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {"name", "Renamed"})) << run.out;
  EXPECT_TRUE(Succeeded(ctl({"client", "disable", slug, client_id})));
  run = ctl({"client", "enable", slug, client_id});
  EXPECT_TRUE(has_line_with(run.out, {"status", "active"})) << run.out;
  ASSERT_TRUE(
      Succeeded(ctl({"grant", "set", slug, client_id, "orders", "--scope", "orders:read"})));
  ASSERT_TRUE(Succeeded(ctl({"grant", "delete", slug, client_id, "orders"})));
  EXPECT_TRUE(json_of(ctl({"grant", "list", slug, client_id, "--json"}))["items"].empty());
  run = ctl({"client", "list", slug});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {client_id, "Renamed", "active"})) << run.out;
  ASSERT_TRUE(Succeeded(ctl({"client", "get", slug, client_id})));
  ASSERT_TRUE(Succeeded(ctl({"client", "delete", slug, client_id})));
  EXPECT_TRUE(FailedWith(ctl({"client", "get", slug, client_id}), "404 not_found: "));
  ASSERT_TRUE(Succeeded(ctl({"api", "delete", slug, api_id})));
  EXPECT_TRUE(FailedWith(ctl({"api", "get", slug, "orders"}), "404 not_found: "));

  // Signing keys: a rotation makes the next key active.
  run = ctl({"signing-key", "list", slug, "--json"});
  ASSERT_TRUE(Succeeded(run));
  std::string next_kid;
  const auto keys = json_of(run)["items"];
  for (const auto& key : keys) {
    if (key["state"] == "next") next_kid = key["kid"].get<std::string>();
  }
  ASSERT_FALSE(next_kid.empty()) << run.out;
  run = ctl({"signing-key", "rotate", slug});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {next_kid, "active"})) << run.out;

  // Paging by hand: --limit and --cursor.
  run = ctl({"tenant", "list", "--limit", "1", "--json"});
  ASSERT_TRUE(Succeeded(run));
  ASSERT_EQ(json_of(run)["items"].size(), 1u);
  const auto first = json_of(run)["items"][0]["slug"];
  const auto cursor = json_of(run)["next_cursor"].get<std::string>();
  run = ctl({"tenant", "list", "--limit", "1", "--cursor", cursor, "--json"});
  ASSERT_TRUE(Succeeded(run));
  ASSERT_EQ(json_of(run)["items"].size(), 1u);
  EXPECT_NE(json_of(run)["items"][0]["slug"], first);

  // Admin keys: listed without the key, deleted by id; a deleted key stops working.
  run = ctl({"admin-key", "create", "temporary", "--json"});
  ASSERT_TRUE(Succeeded(run));
  const auto key = json_of(run)["key"].get<std::string>();
  const auto key_id = json_of(run)["id"].dump();
  run = ctl({"admin-key", "list"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(has_line_with(run.out, {key_id, "temporary"})) << run.out;
  EXPECT_EQ(run.out.find(key), std::string::npos);
  ASSERT_TRUE(Succeeded(ctl({"admin-key", "delete", key_id})));
  EXPECT_TRUE(FailedWith(tessctl({"tenant", "list"}, env_with(key)), "401 unauthorized: "));

  // Deleting a tenant disables it; a 204 has no JSON to print.
  ASSERT_TRUE(Succeeded(ctl({"tenant", "delete", slug})));
  EXPECT_EQ(json_of(ctl({"tenant", "get", slug, "--json"}))["status"], "disabled");
  run = ctl({"tenant", "delete", slug, "--json"});
  ASSERT_TRUE(Succeeded(run));
  EXPECT_TRUE(run.out.empty()) << run.out;
}

}  // namespace
}  // namespace tessera::test
