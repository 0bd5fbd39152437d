#pragma once

namespace tessera::store::postgres::sql {

// Any constant works as long as it never changes: every host must agree.
inline constexpr const char* kLockMigrations = "SELECT pg_advisory_lock(7302914458112)";
inline constexpr const char* kUnlockMigrations = "SELECT pg_advisory_unlock(7302914458112)";

inline constexpr const char* kCreateMigrationsTable = R"(
CREATE TABLE IF NOT EXISTS schema_migrations (
  name       text PRIMARY KEY,
  checksum   text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
))";

inline constexpr const char* kMigrationsTableExists =
    "SELECT to_regclass('schema_migrations')";

inline constexpr const char* kSelectAppliedMigrations =
    "SELECT name, checksum FROM schema_migrations ORDER BY name";

inline constexpr const char* kRecordMigration =
    "INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)";

}  // namespace tessera::store::postgres::sql

namespace tessera::store::postgres::sql {

// This week and the next three (see tessera_ensure_token_partitions).
inline constexpr const char* kEnsureTokenPartitions =
    "SELECT tessera_ensure_token_partitions(now(), 4)";

// Drops the token partitions past retention (see tessera_purge_tokens);
// $1 = retention, $2 = the longest token lifetime, both in seconds.
inline constexpr const char* kPurgeTokens =
    "SELECT tessera_purge_tokens(now() - $1 * interval '1 second', $2 * interval '1 second')";

}  // namespace tessera::store::postgres::sql
