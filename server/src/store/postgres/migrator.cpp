#include "store/postgres/migrator.hpp"

#include <sodium.h>

#include <map>
#include <pqxx/pqxx>
#include <string_view>

#include "crypto/hex.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

struct AppliedMigration {
  std::string checksum;
  std::string applied_at;
  bool breaks_older_servers = false;
};

// Applied migrations by name; empty when the table is missing.
std::map<std::string, AppliedMigration> applied_migrations(pqxx::connection& connection) {
  pqxx::nontransaction tx(connection);
  std::map<std::string, AppliedMigration> applied;
  if (tx.exec(sql::kMigrationsTableExists)[0][0].is_null()) return applied;
  for (const auto& row : tx.exec(sql::kSelectAppliedMigrations)) {
    applied[row[0].as<std::string>()] =
        AppliedMigration{row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<bool>()};
  }
  return applied;
}

// Applied migrations unknown to this binary are not an error: a newer
// release applied them, and they are additive unless marked (SchemaCheck).
void check_consistent(const std::map<std::string, AppliedMigration>& applied,
                      const std::vector<EmbeddedMigration>& migrations) {
  std::map<std::string, const EmbeddedMigration*> known;
  for (const auto& m : migrations) known[m.name] = &m;
  for (const auto& [name, recorded] : applied) {
    auto it = known.find(name);
    if (it == known.end()) continue;
    if (migration_checksum(it->second->sql) != recorded.checksum) {
      throw MigrationError("migration " + name +
                           " was edited after it was applied (checksum mismatch); "
                           "add a new migration instead of editing an applied one");
    }
  }
}

}  // namespace

bool breaks_older_servers(const std::string& sql) {
  const std::string_view marker = kBreaksOlderServersMarker;
  if (sql.compare(0, marker.size(), marker) != 0) return false;
  const auto rest = sql.find_first_not_of(" \t", marker.size());
  return rest == std::string::npos || sql[rest] == '\n' || sql[rest] == '\r';
}

const char* to_string(MigrationState::State state) {
  switch (state) {
    case MigrationState::State::applied:
      return "applied";
    case MigrationState::State::edited:
      return "edited";
    case MigrationState::State::pending:
      return "pending";
    case MigrationState::State::newer:
      return "newer";
  }
  return "unknown";
}

std::string migration_checksum(const std::string& sql) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(sql.data()), sql.size());
  return crypto::to_hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

Migrator::Migrator(pqxx::connection& connection, std::vector<EmbeddedMigration> migrations)
    : connection_(connection), migrations_(std::move(migrations)) {}

std::vector<std::string> Migrator::pending() {
  const auto applied = applied_migrations(connection_);
  check_consistent(applied, migrations_);
  std::vector<std::string> names;
  for (const auto& m : migrations_) {
    if (applied.count(m.name) == 0) names.push_back(m.name);
  }
  return names;
}

SchemaCheck Migrator::check() {
  const auto applied = applied_migrations(connection_);
  check_consistent(applied, migrations_);
  SchemaCheck result;
  std::map<std::string, bool> known;
  for (const auto& m : migrations_) {
    known[m.name] = true;
    if (applied.count(m.name) == 0) result.pending.push_back(m.name);
  }
  for (const auto& [name, recorded] : applied) {
    if (known.count(name) != 0) continue;
    result.newer.push_back(name);
    if (recorded.breaks_older_servers) result.incompatible.push_back(name);
  }
  return result;
}

std::vector<MigrationState> Migrator::status() {
  const auto applied = applied_migrations(connection_);
  std::map<std::string, MigrationState> rows;
  for (const auto& m : migrations_) {
    MigrationState row;
    row.name = m.name;
    row.breaks_older_servers = breaks_older_servers(m.sql);
    auto it = applied.find(m.name);
    if (it != applied.end()) {
      row.state = migration_checksum(m.sql) == it->second.checksum ? MigrationState::State::applied
                                                                   : MigrationState::State::edited;
      row.applied_at = it->second.applied_at;
    }
    rows[m.name] = row;
  }
  for (const auto& [name, recorded] : applied) {
    if (rows.count(name) != 0) continue;
    rows[name] = MigrationState{name, MigrationState::State::newer, recorded.applied_at,
                                recorded.breaks_older_servers};
  }
  std::vector<MigrationState> result;
  for (auto& [name, row] : rows) result.push_back(std::move(row));
  return result;
}

std::vector<std::string> Migrator::apply() {
  {
    pqxx::nontransaction tx(connection_);
    tx.exec(sql::kLockMigrations);
  }
  std::vector<std::string> done;
  try {
    {
      pqxx::nontransaction tx(connection_);
      tx.exec(sql::kCreateMigrationsTable);
    }
    const auto applied = applied_migrations(connection_);
    check_consistent(applied, migrations_);
    for (const auto& m : migrations_) {
      if (applied.count(m.name) != 0) continue;
      try {
        pqxx::work tx(connection_);
        tx.exec(m.sql);
        tx.exec_params(sql::kRecordMigration, m.name, migration_checksum(m.sql));
        if (breaks_older_servers(m.sql)) {
          tx.exec_params(sql::kFlagMigrationBreaksOlderServers, m.name);
        }
        tx.commit();
      } catch (const pqxx::sql_error& e) {
        throw MigrationError("migration " + m.name + " failed: " + e.what());
      }
      done.push_back(m.name);
    }
  } catch (...) {
    if (connection_.is_open()) {
      pqxx::nontransaction tx(connection_);
      tx.exec(sql::kUnlockMigrations);
    }
    throw;
  }
  pqxx::nontransaction tx(connection_);
  tx.exec(sql::kUnlockMigrations);
  return done;
}

}  // namespace tessera::store::postgres
