#pragma once

// The global revocation epoch (migrations/0005_revocation_epoch.sql).
namespace tessera::store::postgres::sql {

inline constexpr const char* kSelectRevocationEpoch =
    "SELECT (extract(epoch FROM epoch) * 1000000)::bigint FROM revocation_epoch";
// Serialises concurrent setters, so the "not lower" check holds.
inline constexpr const char* kLockRevocationEpoch =
    "LOCK TABLE revocation_epoch IN SHARE ROW EXCLUSIVE MODE";
inline constexpr const char* kUpsertRevocationEpoch = R"(
INSERT INTO revocation_epoch (only_row, epoch, set_at)
VALUES (true, 'epoch'::timestamptz + $1::bigint * interval '1 microsecond', now())
ON CONFLICT (only_row) DO UPDATE SET epoch = excluded.epoch, set_at = excluded.set_at)";
inline constexpr const char* kInsertEpochAuditEvent = R"(
INSERT INTO audit_events (tenant_id, actor_key_id, action, target_type, target_id, details)
VALUES (0, NULL, 'revocation_epoch.set', 'revocation_epoch', 'global',
        jsonb_build_object('epoch', $1::text, 'previous', $2::text)))";

}  // namespace tessera::store::postgres::sql
