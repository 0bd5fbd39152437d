// The `tessera` subcommands as an operator runs them (SPEC §1, §2): serve's
// refusals, configuration errors, admin-key create and migrate.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <regex>

#include "e2e/admin_api.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// An environment for `serve` on free ports, so that a run which wrongly
// starts binds nothing that matters.
Env serve_env(const std::string& database_url) {
  Env env = server_env(database_url);
  env["TESSERA_PUBLIC_ADDR"] = "127.0.0.1:" + std::to_string(free_port());
  env["TESSERA_ADMIN_ADDR"] = "127.0.0.1:" + std::to_string(free_port());
  return env;
}

TEST(CommandsE2eTest, ServeRefusesADatabaseWithoutMigrationsInOneLineNamingMigrate) {
  TestDatabase db(false);
  for (const auto& args : {std::vector<std::string>{"serve"},
                           std::vector<std::string>{"admin-key", "create", "--superadmin"}}) {
    SCOPED_TRACE(args[0]);
    auto result = run_tessera(args, serve_env(db.url()));
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(line_count(result.err), 1u) << result.err;
    EXPECT_EQ(result.err.back(), '\n');
    EXPECT_NE(result.err.find("tessera migrate"), std::string::npos) << result.err;
  }
  EXPECT_EQ(db.query_value("SELECT to_regclass('tenants')::text"), "") << "nothing was created";
}

TEST(CommandsE2eTest, BadConfigurationIsOneStderrLineNamingTheVariableAndExit1) {
  TestDatabase db;
  struct Case {
    std::string variable;
    std::optional<std::string> value;  // nullopt: unset
    std::string command = "serve";
  };
  const std::vector<Case> cases = {
      {"TESSERA_THREADS", "0"},
      {"TESSERA_THREADS", "many"},
      {"TESSERA_DB_POOL", "0"},
      {"TESSERA_PUBLIC_ADDR", "nonsense"},
      {"TESSERA_PUBLIC_ADDR", "127.0.0.1"},
      {"TESSERA_ADMIN_ADDR", "127.0.0.1:70000"},
      {"TESSERA_MASTER_KEY", "short-master-key-value"},
      {"TESSERA_MASTER_KEY", std::nullopt},
      {"TESSERA_MASTER_KEY", std::nullopt, "admin-key"},
      {"TESSERA_DATABASE_URL", std::nullopt},
      {"TESSERA_DATABASE_URL", ""},
      {"TESSERA_DATABASE_URL", std::nullopt, "migrate"},
      {"TESSERA_LOG_LEVEL", "loud"},
      {"TESSERA_LOG_FORMAT", "xml"},
      {"TESSERA_ISSUER_BASE", "ftp://example.com"},
      {"TESSERA_TOKEN_RETENTION", "7w"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.command + " with " + c.variable + "=" + c.value.value_or("(unset)"));
    Env env = serve_env(db.url());
    if (c.value) {
      env[c.variable] = *c.value;
    } else {
      env.erase(c.variable);
    }
    std::vector<std::string> args = {c.command};
    if (c.command == "admin-key") args = {"admin-key", "create", "--superadmin"};
    auto result = run_tessera(args, env);
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(line_count(result.err), 1u) << result.err;
    EXPECT_NE(result.err.find(c.variable), std::string::npos) << result.err;
  }
  // A wrong master key is not echoed.
  Env env = serve_env(db.url());
  env["TESSERA_MASTER_KEY"] = "short-master-key-value";
  EXPECT_EQ(run_tessera({"serve"}, env).err.find("short-master-key-value"), std::string::npos);
  // Nothing was issued by the admin-key run without a master key.
  EXPECT_EQ(db.query_value("SELECT count(*) FROM admin_keys"), "0");
}

TEST(CommandsE2eTest, BadConfigurationWithJsonLogsIsOneJsonLine) {
  TestDatabase db;
  Env env = serve_env(db.url());
  env["TESSERA_LOG_FORMAT"] = "json";
  env["TESSERA_THREADS"] = "0";
  auto result = run_tessera({"serve"}, env);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  ASSERT_EQ(line_count(result.err), 1u) << result.err;
  ASSERT_TRUE(json::accept(result.err)) << result.err;
  const auto line = json::parse(result.err);
  EXPECT_EQ(line["level"], "error");
  EXPECT_TRUE(line["msg"].is_string());
  EXPECT_NE(line.dump().find("TESSERA_THREADS"), std::string::npos) << result.err;
}

TEST(CommandsE2eTest, AdminKeyCreatePrintsOneKeyOnStdoutThatTheAdminApiAccepts) {
  TestDatabase db;
  ServerProcess server(db.url());
  const std::regex key_line("^tsk_[0-9]+_[A-Za-z0-9_-]{43}\n$");
  std::vector<std::string> keys;
  for (const auto& name : {"first", "second"}) {
    auto result =
        run_tessera({"admin-key", "create", "--superadmin", "--name", name}, server_env(db.url()));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_TRUE(std::regex_match(result.out, key_line)) << result.out;
    const auto key = result.out.substr(0, result.out.size() - 1);
    EXPECT_EQ(result.err.find(key.substr(key.size() - 43)), std::string::npos)
        << "the key's secret is not logged: " << result.err;
    keys.push_back(key);
    EXPECT_EQ(db.query_value("SELECT name FROM admin_keys WHERE id = " + admin_key_id(key)), name);
  }
  EXPECT_NE(keys[0], keys[1]);
  for (const auto& key : keys) {
    auto response =
        AdminApi(server.admin_url(), key)
            .post("/tenants", {{"slug", unique_name("keyed")}, {"name", "Made with a new key"}});
    EXPECT_TRUE(IsJsonAnswer(response, 201));
  }
  // A key whose secret is one character off is refused.
  auto tampered = keys[0];
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_TRUE(
      IsAdminError(AdminApi(server.admin_url(), tampered).get("/tenants"), 401, "unauthorized"));
}

TEST(CommandsE2eTest, AdminKeyCreateWithoutSuperadminIsRefused) {
  TestDatabase db;
  auto result = run_tessera({"admin-key", "create"}, server_env(db.url()));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(db.query_value("SELECT count(*) FROM admin_keys"), "0");
}

TEST(CommandsE2eTest, MigrateTwiceAppliesEverythingOnceAndThenNothing) {
  TestDatabase db(false);
  Env env = server_env(db.url());
  env.erase("TESSERA_MASTER_KEY");  // migrate does not need it (SPEC §2)

  auto first = run_tessera({"migrate"}, env);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, "");
  EXPECT_NE(first.err.find("0001_init"), std::string::npos) << first.err;
  const auto applied = db.query_value("SELECT count(*) FROM schema_migrations");
  const auto stamp = db.query_value(
      "SELECT string_agg(name || checksum || applied_at, ',') "
      "FROM schema_migrations");
  EXPECT_NE(applied, "0");
  EXPECT_NE(db.query_value("SELECT to_regclass('tenants')::text"), "");

  auto second = run_tessera({"migrate"}, env);
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, "");
  EXPECT_EQ(second.err.find("0001_init"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("applied=0"), std::string::npos) << second.err;
  EXPECT_EQ(db.query_value("SELECT count(*) FROM schema_migrations"), applied);
  EXPECT_EQ(db.query_value("SELECT string_agg(name || checksum || applied_at, ',') "
                           "FROM schema_migrations"),
            stamp);

  // And serve now starts on it.
  ServerProcess server(db.url());
  EXPECT_EQ(http_request("GET", server.public_url() + "/readyz").status, 200);
  EXPECT_EQ(server.terminate(), 0);
}

}  // namespace
}  // namespace tessera::test
