#pragma once

namespace tessera::store::postgres::sql {

// Orders keys by algorithm, then next, active, retired (newest first).
#define TESSERA_SIGNING_KEY_ORDER                                          \
  " ORDER BY CASE alg WHEN 'EdDSA' THEN 0 WHEN 'ES256' THEN 1 ELSE 2 END," \
  " CASE state WHEN 'next' THEN 0 WHEN 'active' THEN 1 ELSE 2 END, created_at DESC"

inline constexpr const char* kListSigningKeys =
    "SELECT kid, alg, state, public_key, (extract(epoch FROM created_at) * 1000000)::bigint,"
    " (extract(epoch FROM retired_at) * 1000000)::bigint"
    " FROM signing_keys"
    " WHERE tenant_id = $1 AND (state <> 'retired' OR retired_at > now() - interval '30 "
    "days')" TESSERA_SIGNING_KEY_ORDER;

// Serialises every change of a tenant's keys (rotation, the keys following
// a change of algorithm): the unique indexes allow one active and one next
// key per algorithm, and two changes at once would otherwise both add one.
// NO KEY UPDATE, not UPDATE: it does not wait for the key-share locks that
// inserting rows which reference the tenant take (an API created in the same
// transaction, tokens being issued), so it neither deadlocks with the first
// nor stalls the second.
inline constexpr const char* kLockTenantKeys =
    "SELECT id FROM tenants WHERE id = $1 FOR NO KEY UPDATE";

// The algorithms in use: the tenant's default, and each live API's (its own,
// else the tenant's). EdDSA when nothing is set.
inline constexpr const char* kSigningAlgsInUse = R"(
SELECT coalesce(t.signing_alg, 'EdDSA') FROM tenants t WHERE t.id = $1
UNION
SELECT coalesce(a.signing_alg, t.signing_alg, 'EdDSA')
FROM apis a JOIN tenants t ON t.id = a.tenant_id
WHERE a.tenant_id = $1 AND a.deleted_at IS NULL)";

// The algorithms that have an active key.
inline constexpr const char* kSigningAlgsWithKeys =
    "SELECT alg FROM signing_keys WHERE tenant_id = $1 AND state = 'active'";

// A retired key never signs again, so its private half is destroyed at
// once; its public half stays published while tokens it signed may be
// valid. $2: the algorithm.
inline constexpr const char* kRetireActiveKey = R"(
UPDATE signing_keys SET state = 'retired', retired_at = now(), sealed_private_key = NULL
WHERE tenant_id = $1 AND alg = $2 AND state = 'active')";

inline constexpr const char* kActivateNextKey = R"(
UPDATE signing_keys SET state = 'active', activated_at = now()
WHERE tenant_id = $1 AND alg = $2 AND state = 'next')";

// A next key of an algorithm no longer in use has signed nothing: it goes.
inline constexpr const char* kDeleteNextKey =
    "DELETE FROM signing_keys WHERE tenant_id = $1 AND alg = $2 AND state = 'next'";

inline constexpr const char* kInsertSigningKey = R"(
INSERT INTO signing_keys (tenant_id, kid, alg, state, public_key, sealed_private_key, activated_at,
                          master_key)
VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $4 = 'active' THEN now() END, $7))";

}  // namespace tessera::store::postgres::sql
