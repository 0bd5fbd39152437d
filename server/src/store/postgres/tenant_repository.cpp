#include "store/postgres/tenant_repository.hpp"

#include <pqxx/pqxx>

#include "store/errors.hpp"
#include "store/postgres/page.hpp"
#include "store/postgres/rows.hpp"
#include "store/postgres/signing_key_sync.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

void replace_domains(pqxx::work& tx, domain::TenantId id, const std::vector<std::string>& domains) {
  tx.exec_params(sql::kDeleteTenantDomains, id.value);
  for (const auto& d : domains) tx.exec_params(sql::kInsertTenantDomain, d, id.value);
}

nlohmann::json tenant_details(const domain::Tenant& t) {
  return {{"slug", t.slug},
          {"name", t.name},
          {"status", domain::to_string(t.status)},
          {"signing_alg",
           t.signing_alg ? nlohmann::json(domain::to_string(*t.signing_alg)) : nlohmann::json()}};
}

}  // namespace

domain::Tenant TenantRepository::create(const NewTenant& tenant, const MakeSigningKey& make_key,
                                        const domain::Actor& actor) {
  return pool_.run([&](pqxx::connection& c) {
    try {
      pqxx::work tx(c);
      const auto id = domain::TenantId{tx.exec_params1(sql::kInsertTenant, tenant.slug, tenant.name,
                                                       nullable(text_of(tenant.default_token_ttl)),
                                                       nullable(text_of(tenant.token_format)),
                                                       nullable(text_of(tenant.signing_alg)))[0]
                                           .as<std::int64_t>()};
      replace_domains(tx, id, tenant.domains);
      // A tenant starts with an active and a next key of its algorithm.
      sync_signing_keys(tx, id, make_key);
      auto created = read_tenant(tx.exec_params1(sql::kSelectTenantById, id.value));
      write_audit(tx, id.value, &actor, "tenant.create", "tenant", created.slug,
                  tenant_details(created));
      tx.commit();
      return created;
    } catch (const pqxx::unique_violation&) {
      rethrow_as_conflict();
      throw;
    }
  });
}

std::optional<domain::Tenant> TenantRepository::find_by_slug(const std::string& slug) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<domain::Tenant> {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(sql::kSelectTenantBySlug, slug);
    if (rows.empty()) return std::nullopt;
    return read_tenant(rows[0]);
  });
}

domain::Page<domain::Tenant> TenantRepository::list(std::optional<domain::TenantId> only,
                                                    std::optional<std::int64_t> after, int limit) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::optional<std::string> only_id;
    if (only) only_id = std::to_string(only->value);
    auto rows = tx.exec_params(sql::kListTenants, after.value_or(0), limit + 1, nullable(only_id));
    return make_page<domain::Tenant>(rows, limit, read_tenant, [](const domain::Tenant& t) {
      return std::to_string(t.id.value);
    });
  });
}

domain::Tenant TenantRepository::update(domain::TenantId id, const TenantPatch& patch,
                                        const MakeSigningKey& make_key, const domain::Actor& actor,
                                        const std::string& action) {
  return pool_.run([&](pqxx::connection& c) {
    try {
      pqxx::work tx(c);
      std::optional<std::string> status;
      if (patch.status) status = domain::to_string(*patch.status);
      const auto changed =
          tx.exec_params(sql::kUpdateTenant, id.value, patch.name.has_value(), nullable(patch.name),
                         patch.default_token_ttl.has_value(),
                         nullable(text_of(patch.default_token_ttl.value_or(std::nullopt))),
                         patch.token_format.has_value(),
                         nullable(text_of(patch.token_format.value_or(std::nullopt))),
                         patch.status.has_value(), nullable(status), patch.signing_alg.has_value(),
                         nullable(text_of(patch.signing_alg.value_or(std::nullopt))));
      // Checked before the domains, which would break a foreign key instead.
      if (changed.affected_rows() == 0) throw NotFound("tenant not found");
      if (patch.domains) replace_domains(tx, id, *patch.domains);
      if (patch.signing_alg) sync_signing_keys(tx, id, make_key);
      auto rows = tx.exec_params(sql::kSelectTenantById, id.value);
      if (rows.empty()) throw NotFound("tenant not found");
      auto updated = read_tenant(rows[0]);
      nlohmann::json details = tenant_details(updated);
      details["changed"] = nlohmann::json::array();
      if (patch.name) details["changed"].push_back("name");
      if (patch.default_token_ttl) details["changed"].push_back("default_token_ttl");
      if (patch.token_format) details["changed"].push_back("token_format");
      if (patch.domains) details["changed"].push_back("domains");
      if (patch.status) details["changed"].push_back("status");
      if (patch.signing_alg) details["changed"].push_back("signing_alg");
      write_audit(tx, id.value, &actor, action, "tenant", updated.slug, details);
      tx.commit();
      return updated;
    } catch (const pqxx::unique_violation&) {
      rethrow_as_conflict();
      throw;
    }
  });
}

}  // namespace tessera::store::postgres
