#include "store/postgres/migrator.hpp"

#include <sodium.h>

#include <map>
#include <pqxx/pqxx>

#include "crypto/hex.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

// Applied migrations by name -> checksum; empty when the table is missing.
std::map<std::string, std::string> applied_migrations(pqxx::connection& connection) {
  pqxx::nontransaction tx(connection);
  std::map<std::string, std::string> applied;
  if (tx.exec(sql::kMigrationsTableExists)[0][0].is_null()) return applied;
  for (const auto& row : tx.exec(sql::kSelectAppliedMigrations)) {
    applied[row[0].as<std::string>()] = row[1].as<std::string>();
  }
  return applied;
}

void check_consistent(const std::map<std::string, std::string>& applied,
                      const std::vector<EmbeddedMigration>& migrations) {
  std::map<std::string, const EmbeddedMigration*> known;
  for (const auto& m : migrations) known[m.name] = &m;
  for (const auto& [name, checksum] : applied) {
    auto it = known.find(name);
    if (it == known.end()) {
      throw MigrationError("migration " + name +
                           " is applied in the database but unknown to this binary "
                           "(the database is newer than this build)");
    }
    if (migration_checksum(it->second->sql) != checksum) {
      throw MigrationError("migration " + name +
                           " was edited after it was applied (checksum mismatch); "
                           "add a new migration instead of editing an applied one");
    }
  }
}

}  // namespace

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
