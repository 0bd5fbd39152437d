// The upgrade rule over the embedded migrations (migrations/COMPATIBILITY.md):
// every migration is documented, and none drops or rewrites what an older
// server uses unless it is marked `-- tessera: breaks-older-servers`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "store/postgres/migrator.hpp"

namespace tessera::store::postgres {
namespace {

// Rows of the table in migrations/COMPATIBILITY.md: name -> "yes" or "no"
// (whether a server of the release before keeps working).
std::map<std::string, std::string> compatibility_table() {
  std::ifstream file(std::string(TESSERA_SOURCE_DIR) + "/migrations/COMPATIBILITY.md");
  EXPECT_TRUE(file) << "migrations/COMPATIBILITY.md is missing";
  std::map<std::string, std::string> rows;
  const std::regex row(R"(^\| `([^`]+)` \|[^|]*\| (\w+) \|)");
  std::string line;
  std::smatch match;
  while (std::getline(file, line)) {
    if (std::regex_search(line, match, row)) rows[match[1]] = match[2];
  }
  return rows;
}

// Statements an older server may not survive: they remove or rewrite what it
// reads and writes.
const std::vector<std::pair<std::string, std::regex>>& destructive_statements() {
  static const std::vector<std::pair<std::string, std::regex>> statements{
      {"DROP TABLE", std::regex(R"(\bDROP\s+TABLE\b)")},
      {"DROP COLUMN", std::regex(R"(\bDROP\s+COLUMN\b)")},
      {"ALTER COLUMN TYPE", std::regex(R"(\bALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\b)")},
      {"RENAME", std::regex(R"(\bRENAME\b)")},
      {"DROP CONSTRAINT", std::regex(R"(\bDROP\s+CONSTRAINT\b)")},
      {"DROP INDEX", std::regex(R"(\bDROP\s+INDEX\b)")},
      {"DROP DEFAULT", std::regex(R"(\bDROP\s+DEFAULT\b)")},
      {"SET NOT NULL", std::regex(R"(\bSET\s+NOT\s+NULL\b)")},
      {"DROP FUNCTION/PROCEDURE/TRIGGER/VIEW/TYPE",
       std::regex(R"(\bDROP\s+(FUNCTION|PROCEDURE|TRIGGER|VIEW|TYPE)\b)")},
      {"TRUNCATE", std::regex(R"(\bTRUNCATE\b)")},
  };
  return statements;
}

// Unmarked files allowed a destructive statement; COMPATIBILITY.md gives the
// reason for each. Never add to this for a new migration: mark it instead.
const std::set<std::pair<std::string, std::string>>& allowed_destructive_statements() {
  static const std::set<std::pair<std::string, std::string>> allowed{
      // Dynamic SQL inside tessera_purge_tokens: empties and drops expired
      // token partitions when called, not when migrated.
      {"0002_token_purge.sql", "DROP TABLE"},
      {"0002_token_purge.sql", "TRUNCATE"},
      // Replaced in the same transaction; no server names them.
      {"0004_signing_algorithms.sql", "DROP CONSTRAINT"},
      {"0004_signing_algorithms.sql", "DROP INDEX"},
      // Predates the rule; the table documents it as breaking a 0003 server.
      {"0004_signing_algorithms.sql", "DROP DEFAULT"},
      // A trigger's event (AFTER TRUNCATE ON revocation_epoch), not a statement.
      {"0005_revocation_epoch.sql", "TRUNCATE"},
  };
  return allowed;
}

// Migrations that break the release before them but predate the marker.
const std::set<std::string> kBreakingBeforeTheMarker{"0004_signing_algorithms.sql"};

// The SQL without `--` comments, upper-cased: what the lint reads.
std::string code_of(const std::string& sql) {
  std::string code;
  std::istringstream lines(sql);
  std::string line;
  while (std::getline(lines, line)) {
    code += line.substr(0, line.find("--")) + '\n';
  }
  std::transform(code.begin(), code.end(), code.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return code;
}

TEST(MigrationCompatibilityTest, EveryEmbeddedMigrationHasARowInTheCompatibilityTable) {
  const auto table = compatibility_table();
  for (const auto& m : embedded_migrations()) {
    EXPECT_EQ(table.count(m.name), 1u)
        << m.name << " has no row in migrations/COMPATIBILITY.md: say what it changes and "
        << "whether the release before keeps serving on it";
  }
}

TEST(MigrationCompatibilityTest, TheTableSaysOlderServersBreakExactlyOnMarkedMigrations) {
  const auto table = compatibility_table();
  for (const auto& m : embedded_migrations()) {
    if (table.count(m.name) == 0) continue;  // reported above
    const bool breaks = breaks_older_servers(m.sql) || kBreakingBeforeTheMarker.count(m.name) > 0;
    EXPECT_EQ(table.at(m.name), breaks ? "no" : "yes") << m.name;
  }
}

TEST(MigrationCompatibilityTest, NoUnmarkedMigrationHasADestructiveStatementOffTheAllowList) {
  for (const auto& m : embedded_migrations()) {
    if (breaks_older_servers(m.sql)) continue;
    const auto code = code_of(m.sql);
    for (const auto& [statement, pattern] : destructive_statements()) {
      if (!std::regex_search(code, pattern)) continue;
      EXPECT_EQ(allowed_destructive_statements().count({m.name, statement}), 1u)
          << m.name << " has " << statement << " but is not marked \"" << kBreaksOlderServersMarker
          << "\": make it additive (expand now, contract in a later release) or mark it";
    }
  }
}

TEST(MigrationCompatibilityTest, TheLintSeesADestructiveStatementButNotOneInAComment) {
  const auto matches = [](const std::string& sql) {
    const auto code = code_of(sql);
    return std::any_of(destructive_statements().begin(), destructive_statements().end(),
                       [&](const auto& s) { return std::regex_search(code, s.second); });
  };
  EXPECT_TRUE(matches("alter table t drop column c;"));
  EXPECT_TRUE(matches("ALTER TABLE t ALTER COLUMN c TYPE bigint;"));
  EXPECT_TRUE(matches("ALTER TABLE t RENAME TO u;"));
  EXPECT_FALSE(matches("-- we never DROP TABLE here\nALTER TABLE t ADD COLUMN c int;"));
}

TEST(MigrationCompatibilityTest, MarkedMigrationsComeAfterTheOneThatRecordsTheMark) {
  for (const auto& m : embedded_migrations()) {
    if (breaks_older_servers(m.sql)) {
      EXPECT_GT(m.name, std::string("0006_migration_flags.sql")) << m.name;
    }
  }
}

TEST(MigrationCompatibilityTest, TheMarkerCountsOnlyAsTheWholeFirstLine) {
  EXPECT_TRUE(breaks_older_servers("-- tessera: breaks-older-servers\nDROP TABLE t;"));
  EXPECT_TRUE(breaks_older_servers("-- tessera: breaks-older-servers  \r\nDROP TABLE t;"));
  EXPECT_FALSE(breaks_older_servers("-- tessera: breaks-older-servers-not\nDROP TABLE t;"));
  EXPECT_FALSE(breaks_older_servers("-- a comment\n-- tessera: breaks-older-servers\n"));
  EXPECT_FALSE(breaks_older_servers(""));
}

}  // namespace
}  // namespace tessera::store::postgres
