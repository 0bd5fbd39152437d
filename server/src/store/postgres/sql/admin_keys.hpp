#pragma once

namespace tessera::store::postgres::sql {

// Admin keys are a global lookup table: found by id, no tenant in the key.
inline constexpr const char* kInsertAdminKey = R"(
INSERT INTO admin_keys (name, tenant_id, key_hash, master_key) VALUES ($1, $2, $3, $4)
RETURNING id, (extract(epoch FROM created_at) * 1000000)::bigint)";

// The tenant's status comes with the key: one query per admin request.
inline constexpr const char* kSelectAdminKeyForAuth = R"(
SELECT k.key_hash, k.tenant_id, t.status = 'disabled', coalesce(k.master_key, 1) FROM admin_keys k
LEFT JOIN tenants t ON t.id = k.tenant_id
WHERE k.id = $1 AND k.revoked_at IS NULL)";

inline constexpr const char* kTouchAdminKey = R"(
UPDATE admin_keys SET last_used_at = now()
WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))";

// Master-key rotation: only a hash still made by the key it was verified
// under is replaced.
inline constexpr const char* kRehashAdminKey = R"(
UPDATE admin_keys SET key_hash = $3, master_key = $4
WHERE id = $1 AND coalesce(master_key, 1) = $2)";

#define TESSERA_ADMIN_KEY_COLUMNS                                                             \
  "k.id, k.name, t.slug, k.tenant_id, (extract(epoch FROM k.created_at) * 1000000)::bigint, " \
  "(extract(epoch FROM k.last_used_at) * 1000000)::bigint"

// $1 after id, $2 limit + 1, $3 only this tenant (NULL: all).
inline constexpr const char* kListAdminKeys = "SELECT " TESSERA_ADMIN_KEY_COLUMNS R"(
FROM admin_keys k LEFT JOIN tenants t ON t.id = k.tenant_id
WHERE k.revoked_at IS NULL AND k.id > $1 AND ($3::bigint IS NULL OR k.tenant_id = $3)
ORDER BY k.id LIMIT $2)";

inline constexpr const char* kSelectAdminKey = "SELECT " TESSERA_ADMIN_KEY_COLUMNS R"(
FROM admin_keys k LEFT JOIN tenants t ON t.id = k.tenant_id
WHERE k.revoked_at IS NULL AND k.id = $1)";

inline constexpr const char* kRevokeAdminKey =
    "UPDATE admin_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL";

}  // namespace tessera::store::postgres::sql
