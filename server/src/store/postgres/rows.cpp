#include "store/postgres/rows.hpp"

#include <pqxx/pqxx>

#include "domain/time.hpp"
#include "store/errors.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

std::optional<int> optional_int(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<int>();
}

std::optional<domain::TokenFormat> optional_format(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return domain::parse_token_format(field.as<std::string>());
}

std::optional<domain::SigningAlg> optional_alg(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return domain::parse_signing_alg(field.as<std::string>());
}

domain::Timestamp time_of(const pqxx::field& field) {
  return domain::from_unix_micros(field.as<std::int64_t>());
}

}  // namespace

domain::Tenant read_tenant(const pqxx::row& row) {
  domain::Tenant t;
  t.id = domain::TenantId{row[0].as<std::int64_t>()};
  t.slug = row[1].as<std::string>();
  t.name = row[2].as<std::string>();
  t.default_token_ttl = optional_int(row[3]);
  t.token_format = optional_format(row[4]);
  t.status = domain::parse_status(row[5].as<std::string>()).value_or(domain::Status::disabled);
  t.signing_alg = optional_alg(row[6]);
  t.created_at = time_of(row[7]);
  t.updated_at = time_of(row[8]);
  t.domains = nlohmann::json::parse(row[9].as<std::string>()).get<std::vector<std::string>>();
  return t;
}

domain::Api read_api(const pqxx::row& row) {
  domain::Api a;
  a.tenant_id = domain::TenantId{row[0].as<std::int64_t>()};
  a.id = domain::ApiId{row[1].as<std::int64_t>()};
  a.identifier = row[2].as<std::string>();
  a.name = row[3].as<std::string>();
  a.token_ttl = optional_int(row[4]);
  a.token_format = optional_format(row[5]);
  a.is_default = row[6].as<bool>();
  a.signing_alg = optional_alg(row[7]);
  a.created_at = time_of(row[8]);
  a.updated_at = time_of(row[9]);
  for (const auto& scope : nlohmann::json::parse(row[10].as<std::string>())) {
    a.scopes.push_back(
        {scope.at("value").get<std::string>(), scope.at("description").get<std::string>()});
  }
  return a;
}

domain::Client read_client(const pqxx::row& row) {
  domain::Client c;
  c.tenant_id = domain::TenantId{row[0].as<std::int64_t>()};
  c.client_id = domain::ClientId{row[1].as<std::string>()};
  c.name = row[2].as<std::string>();
  c.token_ttl = optional_int(row[3]);
  c.can_introspect = row[4].as<bool>();
  c.status = domain::parse_status(row[5].as<std::string>()).value_or(domain::Status::disabled);
  c.created_at = time_of(row[6]);
  c.updated_at = time_of(row[7]);
  c.auth_method = domain::parse_client_auth_method(row[8].as<std::string>())
                      .value_or(domain::ClientAuthMethod::client_secret_basic);
  if (!row[9].is_null()) c.jwks_uri = row[9].as<std::string>();
  // The column's CHECK allows only the three names.
  c.dpop = domain::parse_dpop_mode(row[10].as<std::string>()).value_or(domain::DpopMode::allowed);
  c.dpop_nonce = row[11].as<bool>();
  c.claims = nlohmann::json::parse(row[12].as<std::string>());
  return c;
}

domain::Grant read_grant(const pqxx::row& row) {
  domain::Grant g;
  g.client_id = domain::ClientId{row[0].as<std::string>()};
  g.api_id = domain::ApiId{row[1].as<std::int64_t>()};
  g.created_at = time_of(row[2]);
  g.updated_at = time_of(row[3]);
  g.scopes = nlohmann::json::parse(row[4].as<std::string>()).get<std::vector<std::string>>();
  g.claims = nlohmann::json::parse(row[5].as<std::string>());
  return g;
}

const char* nullable(const std::optional<std::string>& value) {
  return value ? value->c_str() : nullptr;
}

std::optional<std::string> text_of(const std::optional<int>& value) {
  if (!value) return std::nullopt;
  return std::to_string(*value);
}

std::optional<std::string> text_of(const std::optional<domain::TokenFormat>& value) {
  if (!value) return std::nullopt;
  return std::string(domain::to_string(*value));
}

std::optional<std::string> text_of(const std::optional<domain::SigningAlg>& value) {
  if (!value) return std::nullopt;
  return std::string(domain::to_string(*value));
}

domain::SigningKeyState signing_key_state_of(const pqxx::field& field) {
  const auto state = field.as<std::string>();
  return state == "next"     ? domain::SigningKeyState::next
         : state == "active" ? domain::SigningKeyState::active
                             : domain::SigningKeyState::retired;
}

domain::SigningAlg signing_alg_of(const pqxx::field& field) {
  return domain::parse_signing_alg(field.as<std::string>()).value_or(domain::kDefaultSigningAlg);
}

std::string bytea_of(const pqxx::field& field) {
  return pqxx::binarystring(field).str();
}

void write_audit(pqxx::work& tx, std::int64_t tenant_id, const domain::Actor* actor,
                 const std::string& action, const std::string& target_type,
                 const std::string& target_id, const nlohmann::json& details) {
  std::optional<std::string> actor_id;
  if (actor != nullptr) actor_id = std::to_string(actor->key_id.value);
  tx.exec_params(sql::kInsertAuditEvent, tenant_id, nullable(actor_id), action, target_type,
                 target_id, details.dump());
}

void rethrow_as_conflict() {
  try {
    throw;
  } catch (const pqxx::unique_violation& e) {
    const std::string message = e.what();
    auto mentions = [&](const char* name) { return message.find(name) != std::string::npos; };
    if (mentions("tenants_slug_key")) throw Conflict("slug", "a tenant with this slug exists");
    if (mentions("tenant_domains_pkey")) {
      throw Conflict("domains", "a domain is already used by a tenant");
    }
    if (mentions("apis_identifier")) {
      throw Conflict("identifier", "an API with this identifier exists in the tenant");
    }
    if (mentions("client_keys_tenant_id_client_id_thumbprint")) {
      throw Conflict("thumbprint", "the client already has this key (same RFC 7638 thumbprint)");
    }
    if (mentions("clients_pkey")) throw Conflict("client_id", "a client with this id exists");
    throw Conflict("", "the change conflicts with existing data");
  }
}

}  // namespace tessera::store::postgres
