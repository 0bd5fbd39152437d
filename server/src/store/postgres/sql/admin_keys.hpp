#pragma once

namespace tessera::store::postgres::sql {

// Admin keys are a global lookup table: found by id, no tenant in the key.
inline constexpr const char* kInsertAdminKey = R"(
INSERT INTO admin_keys (name, tenant_id, key_hash) VALUES ($1, $2, $3)
RETURNING id, (extract(epoch FROM created_at) * 1000000)::bigint)";

inline constexpr const char* kSelectAdminKeyForAuth = R"(
SELECT k.key_hash, k.tenant_id FROM admin_keys k
LEFT JOIN tenants t ON t.id = k.tenant_id
WHERE k.id = $1 AND k.revoked_at IS NULL)";

inline constexpr const char* kTouchAdminKey = R"(
UPDATE admin_keys SET last_used_at = now()
WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))";

}  // namespace tessera::store::postgres::sql
