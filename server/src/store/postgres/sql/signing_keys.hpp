#pragma once

namespace tessera::store::postgres::sql {

inline constexpr const char* kListSigningKeys = R"(
SELECT kid, state, public_key, (extract(epoch FROM created_at) * 1000000)::bigint,
       (extract(epoch FROM retired_at) * 1000000)::bigint
FROM signing_keys
WHERE tenant_id = $1 AND (state <> 'retired' OR retired_at > now() - interval '30 days')
ORDER BY CASE state WHEN 'next' THEN 0 WHEN 'active' THEN 1 ELSE 2 END, created_at DESC)";

// Serialises rotations of one tenant.
inline constexpr const char* kLockTenantKeys = "SELECT id FROM tenants WHERE id = $1 FOR UPDATE";

// A retired key never signs again, so its private half is destroyed at
// once; its public half stays published while tokens it signed may be valid.
inline constexpr const char* kRetireActiveKey = R"(
UPDATE signing_keys SET state = 'retired', retired_at = now(), sealed_private_key = NULL
WHERE tenant_id = $1 AND state = 'active')";

inline constexpr const char* kActivateNextKey = R"(
UPDATE signing_keys SET state = 'active', activated_at = now()
WHERE tenant_id = $1 AND state = 'next')";

}  // namespace tessera::store::postgres::sql
