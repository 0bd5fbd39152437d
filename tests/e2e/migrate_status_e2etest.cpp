// Upgrades as an operator sees them (docs/operations.md, "Upgrades"):
// `tessera migrate status` and its exit codes, and `tessera serve` on a
// database that a newer release migrated (migrations/COMPATIBILITY.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/postgres/embedded_migrations.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

constexpr const char* kNewer = "9999_from_a_newer_release.sql";

// The line of `migrate status`'s table that lists `name`, or "".
std::string row_of(const std::string& table, const std::string& name) {
  const auto at = table.find(name + " ");
  if (at == std::string::npos) return "";
  return table.substr(at, table.find('\n', at) - at);
}

Env migrate_env(const std::string& database_url) {
  Env env = server_env(database_url);
  env.erase("TESSERA_MASTER_KEY");  // migrate does not need it (SPEC §2)
  return env;
}

TEST(MigrateStatusE2eTest, ListsEveryMigrationPendingOnAFreshDatabaseThenAppliedAfterMigrate) {
  TestDatabase db(false);
  const Env env = migrate_env(db.url());
  const auto& migrations = store::postgres::embedded_migrations();

  auto fresh = run_tessera({"migrate", "status"}, env);
  EXPECT_EQ(fresh.exit_code, 3) << fresh.err;
  EXPECT_NE(fresh.out.find("MIGRATION"), std::string::npos) << fresh.out;
  for (const auto& m : migrations) {
    EXPECT_NE(row_of(fresh.out, m.name).find(" pending "), std::string::npos) << fresh.out;
  }
  EXPECT_EQ(db.query_value("SELECT to_regclass('schema_migrations')::text"), "")
      << "status only reads";

  ASSERT_EQ(run_tessera({"migrate"}, env).exit_code, 0);
  auto migrated = run_tessera({"migrate", "status"}, env);
  EXPECT_EQ(migrated.exit_code, 0) << migrated.err;
  for (const auto& m : migrations) {
    EXPECT_NE(row_of(migrated.out, m.name).find(" applied "), std::string::npos) << migrated.out;
  }
  EXPECT_EQ(migrated.out.find("pending"), std::string::npos) << migrated.out;
}

TEST(MigrateStatusE2eTest, ListsANewerReleasesMigrationAsNewerAndExits0) {
  TestDatabase db;
  db.execute(std::string("INSERT INTO schema_migrations (name, checksum) VALUES ('") + kNewer +
             "', '0123')");
  const Env env = migrate_env(db.url());

  auto table = run_tessera({"migrate", "status"}, env);
  EXPECT_EQ(table.exit_code, 0) << table.err;
  const auto row = row_of(table.out, kNewer);
  EXPECT_NE(row.find(" newer "), std::string::npos) << table.out;
  EXPECT_NE(row.find("from a newer release"), std::string::npos) << table.out;
  EXPECT_EQ(row.find("breaks older servers"), std::string::npos) << table.out;

  auto listed = run_tessera({"migrate", "status", "--json"}, env);
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  const auto rows = json::parse(listed.out).at("migrations");
  ASSERT_EQ(rows.size(), store::postgres::embedded_migrations().size() + 1);
  EXPECT_EQ(rows.back().at("name"), kNewer);
  EXPECT_EQ(rows.back().at("state"), "newer");
  EXPECT_EQ(rows.back().at("breaks_older_servers"), false);
  EXPECT_EQ(rows.front().at("state"), "applied");
  EXPECT_TRUE(rows.front().at("applied_at").is_string());

  // migrate has nothing to do, and leaves the newer row alone.
  EXPECT_EQ(run_tessera({"migrate"}, env).exit_code, 0);
}

TEST(MigrateStatusE2eTest, ExitsWithOneOnAnEditedMigrationOrAnUnreachableDatabase) {
  TestDatabase db;
  db.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE name = '0001_init.sql'");
  auto edited = run_tessera({"migrate", "status"}, migrate_env(db.url()));
  EXPECT_EQ(edited.exit_code, 1);
  EXPECT_NE(row_of(edited.out, "0001_init.sql").find(" edited "), std::string::npos) << edited.out;
  EXPECT_NE(edited.err.find("edited"), std::string::npos) << edited.err;

  auto unreachable = run_tessera(
      {"migrate", "status"},
      migrate_env("postgresql://postgres@127.0.0.1:" + std::to_string(free_port()) + "/none"));
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_EQ(unreachable.out, "");

  EXPECT_EQ(run_tessera({"migrate", "sideways"}, migrate_env(db.url())).exit_code, 2);
}

TEST(MigrateStatusE2eTest, ServeStartsOnANewerCompatibleSchemaAndRefusesAnIncompatibleOne) {
  TestDatabase db;
  db.execute(std::string("INSERT INTO schema_migrations (name, checksum) VALUES ('") + kNewer +
             "', '0123')");
  {
    ServerProcess server(db.url());
    EXPECT_EQ(http_request("GET", server.public_url() + "/readyz").status, 200);
    EXPECT_EQ(server.terminate(), 0);
    const auto log = server.stderr_text();
    const auto warning = log.find("migrations from a newer release");
    ASSERT_NE(warning, std::string::npos) << log;
    EXPECT_NE(log.find(kNewer, warning), std::string::npos) << log;
  }

  db.execute(
      std::string("UPDATE schema_migrations SET breaks_older_servers = true WHERE name = '") +
      kNewer + "'");
  Env env = server_env(db.url());
  env["TESSERA_PUBLIC_ADDR"] = "127.0.0.1:" + std::to_string(free_port());
  env["TESSERA_ADMIN_ADDR"] = "127.0.0.1:" + std::to_string(free_port());
  auto refused = run_tessera({"serve"}, env);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
  EXPECT_NE(refused.err.find(kNewer), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("break older servers"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace tessera::test
