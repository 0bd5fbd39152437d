#include "store/postgres/client_credentials_repository.hpp"

#include <pqxx/pqxx>

#include "domain/time.hpp"
#include "store/postgres/rows.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {

std::optional<domain::TenantView> ClientCredentialsRepository::load_tenant(
    const std::string& slug) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<domain::TenantView> {
    // One snapshot for the three reads: the algorithms come from the tenant
    // and API rows and the keys must match them; read committed would let a
    // change of algorithm land between the reads, and the view would name
    // an algorithm whose active key it does not hold.
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c);
    auto rows = tx.exec_params(sql::kSelectTenantBySlug, slug);
    if (rows.empty()) return std::nullopt;
    domain::TenantView view;
    view.tenant = read_tenant(rows[0]);
    for (const auto& row : tx.exec_params(sql::kSelectLiveApis, view.tenant.id.value)) {
      view.apis.push_back(read_api(row));
    }
    for (const auto& row : tx.exec_params(sql::kSelectPublishedKeys, view.tenant.id.value)) {
      domain::PublishedKey key;
      key.kid = row[0].as<std::string>();
      key.alg = signing_alg_of(row[1]);
      key.state = signing_key_state_of(row[2]);
      key.public_key = bytea_of(row[3]);
      if (!row[4].is_null()) key.sealed_private_key = bytea_of(row[4]);
      key.master_key = domain::MasterKeyId{row[5].as<std::int16_t>()};
      view.keys.push_back(std::move(key));
    }
    return view;
  });
}

std::optional<std::string> ClientCredentialsRepository::slug_for_domain(const std::string& domain) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<std::string> {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(sql::kSelectSlugForDomain, domain);
    if (rows.empty()) return std::nullopt;
    return rows[0][0].as<std::string>();
  });
}

std::optional<domain::ClientView> ClientCredentialsRepository::load_client(
    domain::TenantId tenant, const std::string& client_id) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<domain::ClientView> {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(sql::kSelectClient, tenant.value, client_id);
    if (rows.empty()) return std::nullopt;
    domain::ClientView view;
    view.client = read_client(rows[0]);
    for (const auto& row : tx.exec_params(sql::kSelectClientSecrets, tenant.value, client_id)) {
      domain::SecretView secret;
      secret.id = domain::SecretId{row[0].as<std::int64_t>()};
      secret.imported = row[1].as<std::string>() == "imported";
      if (!row[2].is_null()) secret.keyed_hash = bytea_of(row[2]);
      if (!row[3].is_null()) secret.argon2_hash = row[3].as<std::string>();
      if (!row[4].is_null())
        secret.expires_at = domain::from_unix_micros(row[4].as<std::int64_t>());
      secret.revoked = row[5].as<bool>();
      secret.master_key = domain::MasterKeyId{row[6].as<std::int16_t>()};
      view.secrets.push_back(std::move(secret));
    }
    for (const auto& row : tx.exec_params(sql::kSelectClientKeys, tenant.value, client_id)) {
      const auto jwk = nlohmann::json::parse(row[0].as<std::string>(), nullptr, false);
      auto key = crypto::read_public_jwk(jwk);
      if (auto* read = std::get_if<crypto::PublicJwk>(&key)) view.keys.push_back(std::move(*read));
    }
    for (const auto& row : tx.exec_params(sql::kSelectClientGrants, tenant.value, client_id)) {
      const auto api = row[0].as<std::int64_t>();
      view.grants[api] =
          nlohmann::json::parse(row[1].as<std::string>()).get<std::vector<std::string>>();
      // Only grants with claims: most have none, and the map is cached.
      auto claims = nlohmann::json::parse(row[2].as<std::string>());
      if (!claims.empty()) view.grant_claims[api] = std::move(claims);
    }
    return view;
  });
}

}  // namespace tessera::store::postgres
