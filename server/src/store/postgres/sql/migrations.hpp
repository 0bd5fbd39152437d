#pragma once

#include <cstdint>
#include <string>

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

inline constexpr const char* kMigrationsTableExists = "SELECT to_regclass('schema_migrations')";

// breaks_older_servers exists from 0006_migration_flags.sql on; read through
// to_jsonb so the same query works on a database migrated only up to 0005.
inline constexpr const char* kSelectAppliedMigrations = R"(
SELECT name, checksum, to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce((to_jsonb(m) ->> 'breaks_older_servers')::boolean, false)
FROM schema_migrations m ORDER BY name)";

inline constexpr const char* kRecordMigration =
    "INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)";

// Only for files marked `-- tessera: breaks-older-servers`, which come after
// 0006 (the embedded-migrations test checks it).
inline constexpr const char* kFlagMigrationBreaksOlderServers =
    "UPDATE schema_migrations SET breaks_older_servers = true WHERE name = $1";

}  // namespace tessera::store::postgres::sql

namespace tessera::store::postgres::sql {

// This week and the next three (see tessera_ensure_token_partitions).
inline constexpr const char* kEnsureTokenPartitions =
    "SELECT tessera_ensure_token_partitions(now(), 4)";

// Token maintenance runs on one instance at a time: a session-level advisory
// lock (the purge commits as it goes, so a transaction-level one would not
// last). The key is arbitrary and Tessera's alone ("tessera" in ASCII).
inline constexpr const char* kTryMaintenanceLock = "SELECT pg_try_advisory_lock(32762643830108769)";
inline constexpr const char* kMaintenanceUnlock = "SELECT pg_advisory_unlock(32762643830108769)";

// Client assertion (private_key_jwt) and DPoP proof jtis past the time
// their JWT is accepted, by a margin: an instance whose clock runs behind
// the database's still accepts a JWT the database thinks expired, and its
// jti must still be there to refuse the replay. Answers how many went.
inline constexpr const char* kPurgeExpiredJtis = R"(
WITH assertions AS (
  DELETE FROM client_assertion_jtis WHERE expires_at < now() - interval '5 minutes' RETURNING 1
), proofs AS (
  DELETE FROM dpop_proof_jtis WHERE expires_at < now() - interval '5 minutes' RETURNING 1
)
SELECT (SELECT count(*) FROM assertions) + (SELECT count(*) FROM proofs))";

// Drops the token partitions past retention (see tessera_purge_tokens).
// A procedure that commits as it goes: sent as a simple query, outside any
// transaction block, with the retention and the longest token lifetime in
// seconds (integers, formatted by the caller).
inline std::string purge_tokens_call(std::int64_t retention_seconds, std::int64_t max_ttl_seconds) {
  return "CALL tessera_purge_tokens(now() - interval '" + std::to_string(retention_seconds) +
         " seconds', interval '" + std::to_string(max_ttl_seconds) + " seconds')";
}

}  // namespace tessera::store::postgres::sql
