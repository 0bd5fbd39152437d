#pragma once

namespace tessera::store::postgres::sql {

#define TESSERA_API_COLUMNS                                                                      \
  "a.tenant_id, a.id, a.identifier, a.name, a.token_ttl, a.token_format, a.is_default, "         \
  "a.signing_alg, "                                                                              \
  "(extract(epoch FROM a.created_at) * 1000000)::bigint, "                                       \
  "(extract(epoch FROM a.updated_at) * 1000000)::bigint, "                                       \
  "(SELECT coalesce(json_agg(json_build_object('value', s.value, 'description', s.description) " \
  "ORDER BY s.value COLLATE \"C\"), '[]') FROM api_scopes s "                                    \
  "WHERE s.tenant_id = a.tenant_id AND s.api_id = a.id)::text"

inline constexpr const char* kInsertApi = R"(
INSERT INTO apis (tenant_id, identifier, name, token_ttl, token_format, is_default, signing_alg)
VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id)";

inline constexpr const char* kClearDefaultApi = R"(
UPDATE apis SET is_default = false, updated_at = now()
WHERE tenant_id = $1 AND is_default AND id <> $2)";

inline constexpr const char* kUpsertApiScope = R"(
INSERT INTO api_scopes (tenant_id, api_id, value, description) VALUES ($1, $2, $3, $4)
ON CONFLICT (tenant_id, api_id, value) DO UPDATE SET description = excluded.description)";

// $3: the scope values to keep, as a text[] literal.
inline constexpr const char* kDeleteApiScopesExcept = R"(
DELETE FROM api_scopes WHERE tenant_id = $1 AND api_id = $2 AND NOT (value = ANY($3::text[])))";

inline constexpr const char* kSelectApiById =
    "SELECT " TESSERA_API_COLUMNS
    " FROM apis a WHERE a.tenant_id = $1 AND a.id = $2 AND a.deleted_at IS NULL";

inline constexpr const char* kSelectApiByIdentifier =
    "SELECT " TESSERA_API_COLUMNS
    " FROM apis a WHERE a.tenant_id = $1 AND a.identifier = $2 AND a.deleted_at IS NULL";

inline constexpr const char* kListApis =
    "SELECT " TESSERA_API_COLUMNS
    " FROM apis a WHERE a.tenant_id = $1 AND a.id > $2 AND a.deleted_at IS NULL"
    " ORDER BY a.id LIMIT $3";

inline constexpr const char* kUpdateApi = R"(
UPDATE apis SET
  name = CASE WHEN $3 THEN $4 ELSE name END,
  token_ttl = CASE WHEN $5 THEN $6::integer ELSE token_ttl END,
  token_format = CASE WHEN $7 THEN $8 ELSE token_format END,
  is_default = CASE WHEN $9 THEN $10::boolean ELSE is_default END,
  signing_alg = CASE WHEN $11 THEN $12 ELSE signing_alg END,
  updated_at = now()
WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL)";

// Deleting keeps the row for token records; its grants go, and it stops being
// the default.
inline constexpr const char* kMarkApiDeleted = R"(
UPDATE apis SET deleted_at = now(), is_default = false, updated_at = now()
WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL)";

inline constexpr const char* kDeleteGrantsOfApi =
    "DELETE FROM grants WHERE tenant_id = $1 AND api_id = $2";

}  // namespace tessera::store::postgres::sql
