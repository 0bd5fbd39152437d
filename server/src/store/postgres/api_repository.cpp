#include "store/postgres/api_repository.hpp"

#include <pqxx/pqxx>

#include "store/errors.hpp"
#include "store/postgres/array_literal.hpp"
#include "store/postgres/page.hpp"
#include "store/postgres/rows.hpp"
#include "store/postgres/signing_key_sync.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

void replace_scopes(pqxx::work& tx, domain::TenantId tenant, domain::ApiId id,
                    const std::vector<domain::ApiScope>& scopes) {
  std::vector<std::string> values;
  for (const auto& s : scopes) {
    tx.exec_params(sql::kUpsertApiScope, tenant.value, id.value, s.value, s.description);
    values.push_back(s.value);
  }
  // Scopes dropped from the API leave every grant too (ON DELETE CASCADE).
  tx.exec_params(sql::kDeleteApiScopesExcept, tenant.value, id.value, text_array(values));
}

domain::Api select_api(pqxx::work& tx, domain::TenantId tenant, domain::ApiId id) {
  auto rows = tx.exec_params(sql::kSelectApiById, tenant.value, id.value);
  if (rows.empty()) throw NotFound("API not found");
  return read_api(rows[0]);
}

nlohmann::json api_details(const domain::Api& api) {
  nlohmann::json scopes = nlohmann::json::array();
  for (const auto& s : api.scopes) scopes.push_back(s.value);
  return {{"identifier", api.identifier},
          {"name", api.name},
          {"scopes", scopes},
          {"is_default", api.is_default},
          {"signing_alg", api.signing_alg ? nlohmann::json(domain::to_string(*api.signing_alg))
                                          : nlohmann::json()}};
}

}  // namespace

domain::Api ApiRepository::create(domain::TenantId tenant, const NewApi& api,
                                  const MakeSigningKey& make_key, const domain::Actor& actor) {
  return pool_.run([&](pqxx::connection& c) {
    try {
      pqxx::work tx(c);
      if (api.is_default) tx.exec_params(sql::kClearDefaultApi, tenant.value, 0);
      const auto id = domain::ApiId{
          tx.exec_params1(sql::kInsertApi, tenant.value, api.identifier, api.name,
                          nullable(text_of(api.token_ttl)), nullable(text_of(api.token_format)),
                          api.is_default, nullable(text_of(api.signing_alg)))[0]
              .as<std::int64_t>()};
      replace_scopes(tx, tenant, id, api.scopes);
      sync_signing_keys(tx, tenant, make_key);
      auto created = select_api(tx, tenant, id);
      write_audit(tx, tenant.value, &actor, "api.create", "api", std::to_string(id.value),
                  api_details(created));
      tx.commit();
      return created;
    } catch (const pqxx::unique_violation&) {
      rethrow_as_conflict();
      throw;
    }
  });
}

std::optional<domain::Api> ApiRepository::find_by_id(domain::TenantId tenant, domain::ApiId id) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<domain::Api> {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(sql::kSelectApiById, tenant.value, id.value);
    if (rows.empty()) return std::nullopt;
    return read_api(rows[0]);
  });
}

std::optional<domain::Api> ApiRepository::find_by_identifier(domain::TenantId tenant,
                                                             const std::string& identifier) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<domain::Api> {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(sql::kSelectApiByIdentifier, tenant.value, identifier);
    if (rows.empty()) return std::nullopt;
    return read_api(rows[0]);
  });
}

domain::Page<domain::Api> ApiRepository::list(domain::TenantId tenant,
                                              std::optional<std::int64_t> after, int limit) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(sql::kListApis, tenant.value, after.value_or(0), limit + 1);
    return make_page<domain::Api>(rows, limit, read_api,
                                  [](const domain::Api& a) { return std::to_string(a.id.value); });
  });
}

domain::Api ApiRepository::update(domain::TenantId tenant, domain::ApiId id, const ApiPatch& patch,
                                  const MakeSigningKey& make_key, const domain::Actor& actor) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    select_api(tx, tenant, id);  // 404 before any change
    if (patch.is_default.value_or(false)) {
      tx.exec_params(sql::kClearDefaultApi, tenant.value, id.value);
    }
    tx.exec_params(
        sql::kUpdateApi, tenant.value, id.value, patch.name.has_value(), nullable(patch.name),
        patch.token_ttl.has_value(), nullable(text_of(patch.token_ttl.value_or(std::nullopt))),
        patch.token_format.has_value(),
        nullable(text_of(patch.token_format.value_or(std::nullopt))), patch.is_default.has_value(),
        patch.is_default.value_or(false), patch.signing_alg.has_value(),
        nullable(text_of(patch.signing_alg.value_or(std::nullopt))));
    if (patch.scopes) replace_scopes(tx, tenant, id, *patch.scopes);
    if (patch.signing_alg) sync_signing_keys(tx, tenant, make_key);
    auto updated = select_api(tx, tenant, id);
    write_audit(tx, tenant.value, &actor, "api.update", "api", std::to_string(id.value),
                api_details(updated));
    tx.commit();
    return updated;
  });
}

void ApiRepository::remove(domain::TenantId tenant, domain::ApiId id,
                           const MakeSigningKey& make_key, const domain::Actor& actor) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto api = select_api(tx, tenant, id);
    // Marked first: that waits for a grant being put (ClientRepository::put),
    // which the delete of the grants below then sees.
    tx.exec_params(sql::kMarkApiDeleted, tenant.value, id.value);
    tx.exec_params(sql::kDeleteGrantsOfApi, tenant.value, id.value);
    // Its algorithm may have gone out of use.
    sync_signing_keys(tx, tenant, make_key);
    write_audit(tx, tenant.value, &actor, "api.delete", "api", std::to_string(id.value),
                {{"identifier", api.identifier}});
    tx.commit();
  });
}

}  // namespace tessera::store::postgres
