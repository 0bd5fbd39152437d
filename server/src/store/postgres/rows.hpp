#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/row>
#include <pqxx/transaction>
#include <string>

#include "domain/models.hpp"

namespace tessera::store::postgres {

// Conversions between rows and domain values, shared by the stores.

domain::Tenant read_tenant(const pqxx::row& row);  // TESSERA_TENANT_COLUMNS
domain::Api read_api(const pqxx::row& row);        // TESSERA_API_COLUMNS
domain::Client read_client(const pqxx::row& row);  // TESSERA_CLIENT_COLUMNS
domain::Grant read_grant(const pqxx::row& row);    // TESSERA_GRANT_COLUMNS

// libpqxx 6.4 has no std::optional parameters: a null char pointer is NULL.
const char* nullable(const std::optional<std::string>& value);
std::optional<std::string> text_of(const std::optional<int>& value);
std::optional<std::string> text_of(const std::optional<domain::TokenFormat>& value);
std::optional<std::string> text_of(const std::optional<domain::SigningAlg>& value);
// A signing_keys.state or .alg as stored (the schema's CHECKs allow no other).
domain::SigningKeyState signing_key_state_of(const pqxx::field& field);
domain::SigningAlg signing_alg_of(const pqxx::field& field);

// bytea in and out.
std::string bytea_of(const pqxx::field& field);

// Writes an audit event in the caller's transaction. Tenant 0 is for events
// of no tenant. `details` must never hold a secret.
void write_audit(pqxx::work& tx, std::int64_t tenant_id, const domain::Actor* actor,
                 const std::string& action, const std::string& target_type,
                 const std::string& target_id, const nlohmann::json& details);

// Runs `body`, turning a unique violation into store::Conflict naming the
// request field it concerns.
void rethrow_as_conflict();

}  // namespace tessera::store::postgres
