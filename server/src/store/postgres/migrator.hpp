#pragma once

#include <pqxx/connection>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/postgres/embedded_migrations.hpp"

namespace tessera::store::postgres {

// A migration cannot be applied, or the database disagrees with the binary
// (an applied file was edited).
class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The first line that marks a migration as one an older server cannot run
// on (docs/operations.md, "Upgrades").
inline constexpr const char* kBreaksOlderServersMarker = "-- tessera: breaks-older-servers";

// Whether `sql` starts with kBreaksOlderServersMarker.
bool breaks_older_servers(const std::string& sql);

// One migration as `tessera migrate status` shows it.
struct MigrationState {
  enum class State {
    applied,  // applied, and the embedded file still has the recorded checksum
    edited,   // applied, but the embedded file changed since
    pending,  // embedded, not applied yet
    newer,    // applied by a newer release; this binary does not know the file
  };
  std::string name;
  State state = State::pending;
  std::string applied_at;             // UTC, ISO 8601; empty when pending
  bool breaks_older_servers = false;  // as recorded, or as the embedded file says
};

const char* to_string(MigrationState::State state);

// What `tessera serve` needs to know before it starts (SPEC §1): it refuses
// when `pending` or `incompatible` is not empty, and warns about `newer`.
struct SchemaCheck {
  std::vector<std::string> pending;       // embedded, not applied
  std::vector<std::string> newer;         // applied, unknown to this binary
  std::vector<std::string> incompatible;  // those of `newer` marked breaks-older-servers
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

  // pending() plus the migrations a newer release applied. Throws
  // MigrationError on an edited file, like pending().
  SchemaCheck check();

  // Every migration, applied or embedded, in name order; never throws
  // MigrationError (an edited file is a row in state `edited`).
  std::vector<MigrationState> status();

 private:
  pqxx::connection& connection_;
  std::vector<EmbeddedMigration> migrations_;
};

// Lower-case hex SHA-256 of a migration's text: the recorded checksum.
std::string migration_checksum(const std::string& sql);

}  // namespace tessera::store::postgres
