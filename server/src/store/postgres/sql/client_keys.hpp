#pragma once

namespace tessera::store::postgres::sql {

#define TESSERA_CLIENT_KEY_COLUMNS \
  "id, kid, alg, thumbprint, jwk::text, (extract(epoch FROM created_at) * 1000000)::bigint"

inline constexpr const char* kInsertClientKey = R"(
INSERT INTO client_keys (tenant_id, client_id, kid, alg, thumbprint, jwk)
VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING id)";

inline constexpr const char* kListClientKeys =
    "SELECT " TESSERA_CLIENT_KEY_COLUMNS
    " FROM client_keys WHERE tenant_id = $1 AND client_id = $2 ORDER BY id";

inline constexpr const char* kSelectClientKey =
    "SELECT " TESSERA_CLIENT_KEY_COLUMNS
    " FROM client_keys WHERE tenant_id = $1 AND client_id = $2 AND id = $3";

inline constexpr const char* kCountClientKeys =
    "SELECT count(*) FROM client_keys WHERE tenant_id = $1 AND client_id = $2";

inline constexpr const char* kDeleteClientKey =
    "DELETE FROM client_keys WHERE tenant_id = $1 AND client_id = $2 AND id = $3";

// Locks the client row so that adding and removing its keys, and clearing
// its jwks_uri, run one after the other: the key limit and the rule that a
// private_key_jwt client keeps a way to authenticate both hold.
inline constexpr const char* kLockClientKeyHolder = R"(
SELECT token_endpoint_auth_method, jwks_uri IS NOT NULL FROM clients
WHERE tenant_id = $1 AND client_id = $2 AND deleted_at IS NULL
FOR UPDATE)";

}  // namespace tessera::store::postgres::sql
