#pragma once

#include "store/postgres/sql/apis.hpp"
#include "store/postgres/sql/signing_keys.hpp"

namespace tessera::store::postgres::sql {

inline constexpr const char* kSelectLiveApis =
    "SELECT " TESSERA_API_COLUMNS
    " FROM apis a WHERE a.tenant_id = $1 AND a.deleted_at IS NULL ORDER BY a.id";

// Published keys: next, active, and retired ones while tokens they signed
// may still be valid (retired within the longest lifetime, 30 days). Only
// the active key's private half is read.
inline constexpr const char* kSelectPublishedKeys =
    "SELECT kid, alg, state, public_key, CASE WHEN state = 'active' THEN sealed_private_key END,"
    " coalesce(master_key, 1)"
    " FROM signing_keys"
    " WHERE tenant_id = $1"
    "   AND (state <> 'retired' OR retired_at > now() - interval '30 "
    "days')" TESSERA_SIGNING_KEY_ORDER;

inline constexpr const char* kSelectSlugForDomain = R"(
SELECT t.slug FROM tenant_domains d JOIN tenants t ON t.id = d.tenant_id WHERE d.domain = $1)";

inline constexpr const char* kSelectClientSecrets = R"(
SELECT id, kind, keyed_hash, argon2_hash,
       (extract(epoch FROM expires_at) * 1000000)::bigint, revoked_at IS NOT NULL,
       coalesce(master_key, 1)
FROM client_secrets WHERE tenant_id = $1 AND client_id = $2)";

inline constexpr const char* kSelectClientKeys =
    "SELECT jwk::text FROM client_keys WHERE tenant_id = $1 AND client_id = $2 ORDER BY id";

inline constexpr const char* kSelectClientGrants = R"(
SELECT g.api_id,
       coalesce(json_agg(s.scope ORDER BY s.scope COLLATE "C") FILTER (WHERE s.scope IS NOT NULL),
                '[]')::text,
       g.claims::text
FROM grants g
LEFT JOIN grant_scopes s
  ON s.tenant_id = g.tenant_id AND s.client_id = g.client_id AND s.api_id = g.api_id
WHERE g.tenant_id = $1 AND g.client_id = $2
-- The whole primary key, so g.claims may be selected ungrouped.
GROUP BY g.tenant_id, g.client_id, g.api_id)";

// Group commit: one statement inserts a whole batch, autocommitted (no
// BEGIN/COMMIT round trips); times travel as Unix microseconds.
// A record obtained with a client assertion (private_key_jwt) stores the
// assertion's jti in the same statement, and one obtained with a DPoP proof
// the proof's: a jti seen before violates client_assertion_jtis' or
// dpop_proof_jtis' primary key, so the batch is sent again in halves until
// that record alone fails (TokenBatcher), and no token is issued for a
// replayed assertion or proof on any instance.
inline constexpr const char* kInsertTokens = R"(
WITH rows AS (
  SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::bigint[],
                       $6::text[], $7::text[], $8::bytea[], $9::bigint[], $10::bigint[],
                       $11::smallint[], $12::text[], $13::bigint[], $14::text[], $15::text[],
                       $16::bigint[])
                AS u(t, i, c, s, a, sc, f, h, ia, ea, m, aj, ae, jkt, pj, pe)
), assertions AS (
  INSERT INTO client_assertion_jtis (tenant_id, client_id, jti, expires_at)
  SELECT t, c, aj, timestamptz 'epoch' + ae * interval '1 microsecond'
  FROM rows WHERE aj IS NOT NULL
), proofs AS (
  INSERT INTO dpop_proof_jtis (tenant_id, client_id, jti, expires_at)
  SELECT t, c, pj, timestamptz 'epoch' + pe * interval '1 microsecond'
  FROM rows WHERE pj IS NOT NULL
)
INSERT INTO tokens (tenant_id, id, client_id, secret_id, api_id, scope, format, token_hash,
                    issued_at, expires_at, master_key, dpop_jkt)
SELECT t, i, c, s, a, sc, f, h,
       timestamptz 'epoch' + ia * interval '1 microsecond',
       timestamptz 'epoch' + ea * interval '1 microsecond', m, jkt
FROM rows)";

inline constexpr const char* kTouchSecret = R"(
UPDATE client_secrets
SET last_used_at = greatest(coalesce(last_used_at, '-infinity'),
                            timestamptz 'epoch' + $4 * interval '1 microsecond')
WHERE tenant_id = $1 AND client_id = $2 AND id = $3)";

// A client assertion's jti, once (introspection, revocation): no row comes
// back for one stored before.
inline constexpr const char* kClaimAssertionJti = R"(
INSERT INTO client_assertion_jtis (tenant_id, client_id, jti, expires_at)
VALUES ($1, $2, $3, timestamptz 'epoch' + $4 * interval '1 microsecond')
ON CONFLICT DO NOTHING RETURNING 1)";

inline constexpr const char* kRehashSecret = R"(
UPDATE client_secrets SET keyed_hash = $5, master_key = $6
WHERE tenant_id = $1 AND client_id = $2 AND id = $3 AND kind = 'generated'
  AND coalesce(master_key, 1) = $4)";

}  // namespace tessera::store::postgres::sql
