#pragma once

namespace tessera::store::postgres::sql {

// Columns of a tenant row, in the order rows.cpp reads them.
#define TESSERA_TENANT_COLUMNS                                                           \
  "t.id, t.slug, t.name, t.default_token_ttl, t.token_format, t.status, t.signing_alg, " \
  "(extract(epoch FROM t.created_at) * 1000000)::bigint, "                               \
  "(extract(epoch FROM t.updated_at) * 1000000)::bigint, "                               \
  "(SELECT coalesce(json_agg(d.domain ORDER BY d.domain), '[]') FROM tenant_domains d "  \
  "WHERE d.tenant_id = t.id)::text"

inline constexpr const char* kInsertTenant = R"(
INSERT INTO tenants (slug, name, default_token_ttl, token_format, signing_alg)
VALUES ($1, $2, $3, $4, $5) RETURNING id)";

inline constexpr const char* kSelectTenantBySlug =
    "SELECT " TESSERA_TENANT_COLUMNS " FROM tenants t WHERE t.slug = $1";

inline constexpr const char* kSelectTenantById =
    "SELECT " TESSERA_TENANT_COLUMNS " FROM tenants t WHERE t.id = $1";

// $1: id after which to start (0 for the first page); $2: page size + 1;
// $3: only this tenant (NULL for all).
inline constexpr const char* kListTenants =
    "SELECT " TESSERA_TENANT_COLUMNS
    " FROM tenants t WHERE t.id > $1 AND ($3::bigint IS NULL OR t.id = $3)"
    " ORDER BY t.id LIMIT $2";

// Each setting is updated only when its flag ($n) is true, so one statement
// serves every PATCH.
inline constexpr const char* kUpdateTenant = R"(
UPDATE tenants SET
  name = CASE WHEN $2 THEN $3 ELSE name END,
  default_token_ttl = CASE WHEN $4 THEN $5::integer ELSE default_token_ttl END,
  token_format = CASE WHEN $6 THEN $7 ELSE token_format END,
  status = CASE WHEN $8 THEN $9 ELSE status END,
  signing_alg = CASE WHEN $10 THEN $11 ELSE signing_alg END,
  updated_at = now()
WHERE id = $1)";

inline constexpr const char* kDeleteTenantDomains =
    "DELETE FROM tenant_domains WHERE tenant_id = $1";

inline constexpr const char* kInsertTenantDomain =
    "INSERT INTO tenant_domains (domain, tenant_id) VALUES ($1, $2)";

}  // namespace tessera::store::postgres::sql
