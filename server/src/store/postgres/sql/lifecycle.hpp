#pragma once

namespace tessera::store::postgres::sql {

#define TESSERA_SECRET_COLUMNS                               \
  "id, (extract(epoch FROM created_at) * 1000000)::bigint, " \
  "(extract(epoch FROM expires_at) * 1000000)::bigint, "     \
  "(extract(epoch FROM revoked_at) * 1000000)::bigint, "     \
  "(extract(epoch FROM last_used_at) * 1000000)::bigint"

inline constexpr const char* kListSecrets =
    "SELECT " TESSERA_SECRET_COLUMNS
    " FROM client_secrets WHERE tenant_id = $1 AND client_id = $2 ORDER BY id";

inline constexpr const char* kSelectSecret =
    "SELECT " TESSERA_SECRET_COLUMNS
    " FROM client_secrets WHERE tenant_id = $1 AND client_id = $2 AND id = $3";

// Every other valid secret expires after the grace period, or keeps an
// earlier expiry it already had. Without a grace they are revoked outright:
// an expiry of "now" would race the server's clock against the database's.
inline constexpr const char* kExpireOtherSecrets = R"(
UPDATE client_secrets
SET expires_at = CASE WHEN $3 > 0
                      THEN least(coalesce(expires_at, 'infinity'), now() + $3 * interval '1 second')
                      ELSE expires_at END,
    revoked_at = CASE WHEN $3 > 0 THEN revoked_at ELSE now() END
WHERE tenant_id = $1 AND client_id = $2 AND revoked_at IS NULL
  AND (expires_at IS NULL OR expires_at > now()))";

inline constexpr const char* kCountOtherValidSecrets = R"(
SELECT count(*) FROM client_secrets
WHERE tenant_id = $1 AND client_id = $2 AND id <> $3 AND revoked_at IS NULL
  AND (expires_at IS NULL OR expires_at > now()))";

inline constexpr const char* kRevokeSecret = R"(
UPDATE client_secrets SET revoked_at = coalesce(revoked_at, now())
WHERE tenant_id = $1 AND client_id = $2 AND id = $3)";

// Locks the client row so concurrent rotations and revocations of one
// client run one after the other (the last-valid-secret rule holds).
inline constexpr const char* kLockClientForUpdate = R"(
SELECT status, token_endpoint_auth_method FROM clients WHERE tenant_id = $1 AND client_id = $2 AND deleted_at IS NULL
FOR UPDATE)";

#define TESSERA_TOKEN_COLUMNS                            \
  "id::text, client_id, api_id, scope, format, "         \
  "(extract(epoch FROM issued_at) * 1000000)::bigint, "  \
  "(extract(epoch FROM expires_at) * 1000000)::bigint, " \
  "(extract(epoch FROM revoked_at) * 1000000)::bigint"

// $2 client (NULL: all), $3 active (NULL: all) at $7 (not revoked, not expired, not
// issued before the revocation epoch, as introspection has it), $4 api (NULL: all),
// $5 cursor id (NULL: from the newest), $6 limit + 1.
inline constexpr const char* kListTokens = "SELECT " TESSERA_TOKEN_COLUMNS R"(
FROM tokens
WHERE tenant_id = $1
  AND ($2::text IS NULL OR client_id = $2)
  AND ($3::boolean IS NULL OR $3 = (revoked_at IS NULL AND expires_at > $7::timestamptz
                                     AND issued_at >= coalesce((SELECT epoch FROM revocation_epoch),
                                                               '-infinity')))
  AND ($4::bigint IS NULL OR api_id = $4)
  AND ($5::uuid IS NULL OR id < $5)
ORDER BY id DESC LIMIT $6)";

inline constexpr const char* kSelectToken =
    "SELECT " TESSERA_TOKEN_COLUMNS " FROM tokens WHERE tenant_id = $1 AND id = $2::uuid";

inline constexpr const char* kRevokeToken = R"(
UPDATE tokens SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2::uuid)";

// Those still active at $4.
inline constexpr const char* kRevokeTokens = R"(
UPDATE tokens SET revoked_at = now()
WHERE tenant_id = $1 AND revoked_at IS NULL AND expires_at > $4::timestamptz
  AND ($2::text IS NULL OR client_id = $2)
  AND ($3::bigint IS NULL OR api_id = $3))";

}  // namespace tessera::store::postgres::sql

namespace tessera::store::postgres::sql {

inline constexpr const char* kSelectTokenStatus = R"(
SELECT client_id, api_id, scope, format, token_hash,
       (extract(epoch FROM issued_at) * 1000000)::bigint,
       (extract(epoch FROM expires_at) * 1000000)::bigint, revoked_at IS NOT NULL,
       coalesce(master_key, 1), dpop_jkt
FROM tokens WHERE tenant_id = $1 AND id = $2::uuid)";

}  // namespace tessera::store::postgres::sql
