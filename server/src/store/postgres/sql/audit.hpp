#pragma once

namespace tessera::store::postgres::sql {

inline constexpr const char* kInsertAuditEvent = R"(
INSERT INTO audit_events (tenant_id, actor_key_id, action, target_type, target_id, details)
VALUES ($1, $2, $3, $4, $5, $6::jsonb))";

// $1 tenant, $2 id after which to start, $3 since (micros, NULL for all), $4 limit + 1.
inline constexpr const char* kListAuditEvents = R"(
SELECT id, (extract(epoch FROM time) * 1000000)::bigint, actor_key_id, action, target_type,
       target_id, details::text
FROM audit_events
WHERE tenant_id = $1 AND id > $2
  AND ($3::bigint IS NULL OR time >= to_timestamp($3::bigint / 1000000.0))
ORDER BY id LIMIT $4)";

}  // namespace tessera::store::postgres::sql
