#pragma once

#include <pqxx/connection>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/postgres/embedded_migrations.hpp"

namespace tessera::store::postgres {

// A migration cannot be applied, or the database disagrees with the binary
// (an applied file was edited, or the database is newer than this binary).
class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Applies migrations/*.sql in name order, each once and in its own
// transaction, recording name and SHA-256 in schema_migrations. A session
// advisory lock serialises concurrent runs (two hosts migrating at once: the
// second waits, then finds nothing to do).
class Migrator {
 public:
  Migrator(pqxx::connection& connection, std::vector<EmbeddedMigration> migrations);

  // Applies what is pending; returns the names applied, in order.
  std::vector<std::string> apply();

  // Names not yet applied. Throws MigrationError when an applied migration's
  // checksum differs from the embedded file's.
  std::vector<std::string> pending();

 private:
  pqxx::connection& connection_;
  std::vector<EmbeddedMigration> migrations_;
};

// Lower-case hex SHA-256 of a migration's text: the recorded checksum.
std::string migration_checksum(const std::string& sql);

}  // namespace tessera::store::postgres
