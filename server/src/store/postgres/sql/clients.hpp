#pragma once

namespace tessera::store::postgres::sql {

#define TESSERA_CLIENT_COLUMNS                                                  \
  "c.tenant_id, c.client_id, c.name, c.token_ttl, c.can_introspect, c.status, " \
  "(extract(epoch FROM c.created_at) * 1000000)::bigint, "                      \
  "(extract(epoch FROM c.updated_at) * 1000000)::bigint, "                      \
  "c.token_endpoint_auth_method, c.jwks_uri, c.dpop, c.dpop_nonce, c.claims::text"

inline constexpr const char* kInsertClient = R"(
INSERT INTO clients (tenant_id, client_id, name, token_ttl, can_introspect,
                     token_endpoint_auth_method, jwks_uri, dpop, dpop_nonce, claims)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb))";

inline constexpr const char* kInsertClientSecret = R"(
INSERT INTO client_secrets (tenant_id, client_id, kind, keyed_hash, argon2_hash, master_key)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)";

inline constexpr const char* kSelectClient =
    "SELECT " TESSERA_CLIENT_COLUMNS
    " FROM clients c WHERE c.tenant_id = $1 AND c.client_id = $2 AND c.deleted_at IS NULL";

// Cursor: the last client_id seen ('' for the first page); byte order.
inline constexpr const char* kListClients =
    "SELECT " TESSERA_CLIENT_COLUMNS
    " FROM clients c WHERE c.tenant_id = $1 AND c.client_id > $2 AND c.deleted_at IS NULL"
    " ORDER BY c.client_id LIMIT $3";

inline constexpr const char* kUpdateClient = R"(
UPDATE clients SET
  name = CASE WHEN $3 THEN $4 ELSE name END,
  token_ttl = CASE WHEN $5 THEN $6::integer ELSE token_ttl END,
  can_introspect = CASE WHEN $7 THEN $8::boolean ELSE can_introspect END,
  status = CASE WHEN $9 THEN $10 ELSE status END,
  jwks_uri = CASE WHEN $11 THEN $12 ELSE jwks_uri END,
  dpop = CASE WHEN $13 THEN $14 ELSE dpop END,
  dpop_nonce = CASE WHEN $15 THEN $16::boolean ELSE dpop_nonce END,
  claims = CASE WHEN $17 THEN $18::jsonb ELSE claims END,
  updated_at = now()
WHERE tenant_id = $1 AND client_id = $2 AND deleted_at IS NULL)";

// Deleting keeps the row for token records; its grants go and it can no
// longer authenticate.
inline constexpr const char* kMarkClientDeleted = R"(
UPDATE clients SET deleted_at = now(), status = 'disabled', updated_at = now()
WHERE tenant_id = $1 AND client_id = $2 AND deleted_at IS NULL)";

inline constexpr const char* kDeleteGrantsOfClient =
    "DELETE FROM grants WHERE tenant_id = $1 AND client_id = $2";

#define TESSERA_GRANT_COLUMNS                                                                      \
  "g.client_id, g.api_id, "                                                                        \
  "(extract(epoch FROM g.created_at) * 1000000)::bigint, "                                         \
  "(extract(epoch FROM g.updated_at) * 1000000)::bigint, "                                         \
  "(SELECT coalesce(json_agg(s.scope ORDER BY s.scope COLLATE \"C\"), '[]') FROM grant_scopes s "  \
  "WHERE s.tenant_id = g.tenant_id AND s.client_id = g.client_id AND s.api_id = g.api_id)::text, " \
  "g.claims::text"

inline constexpr const char* kListGrants =
    "SELECT " TESSERA_GRANT_COLUMNS
    " FROM grants g JOIN apis a ON a.tenant_id = g.tenant_id AND a.id = g.api_id"
    " WHERE g.tenant_id = $1 AND g.client_id = $2 AND a.deleted_at IS NULL ORDER BY g.api_id";

inline constexpr const char* kSelectGrant =
    "SELECT " TESSERA_GRANT_COLUMNS
    " FROM grants g WHERE g.tenant_id = $1 AND g.client_id = $2 AND g.api_id = $3";

// A grant needs a live client and API; FOR SHARE conflicts with the UPDATE
// that marks either deleted, so the two serialise.
inline constexpr const char* kLockLiveClient = R"(
SELECT 1 FROM clients WHERE tenant_id = $1 AND client_id = $2 AND deleted_at IS NULL FOR SHARE)";
inline constexpr const char* kLockLiveApi = R"(
SELECT 1 FROM apis WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL FOR SHARE)";
inline constexpr const char* kUpsertGrant = R"(
INSERT INTO grants (tenant_id, client_id, api_id, claims) VALUES ($1, $2, $3, $4::jsonb)
ON CONFLICT (tenant_id, client_id, api_id)
DO UPDATE SET claims = excluded.claims, updated_at = now())";

inline constexpr const char* kDeleteGrantScopes =
    "DELETE FROM grant_scopes WHERE tenant_id = $1 AND client_id = $2 AND api_id = $3";

inline constexpr const char* kInsertGrantScope = R"(
INSERT INTO grant_scopes (tenant_id, client_id, api_id, scope) VALUES ($1, $2, $3, $4))";

inline constexpr const char* kDeleteGrant =
    "DELETE FROM grants WHERE tenant_id = $1 AND client_id = $2 AND api_id = $3";

}  // namespace tessera::store::postgres::sql
