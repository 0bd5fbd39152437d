#include "store/postgres/admin_key_repository.hpp"

#include <pqxx/pqxx>

#include "domain/time.hpp"
#include "store/postgres/rows.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {

CreatedAdminKey AdminKeyRepository::create(const std::string& name,
                                           std::optional<domain::TenantId> tenant,
                                           const std::string& key_hash,
                                           const std::optional<domain::Actor>& actor) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    std::optional<std::string> tenant_id;
    if (tenant) tenant_id = std::to_string(tenant->value);
    const auto row =
        tx.exec_params1(sql::kInsertAdminKey, name, nullable(tenant_id), pqxx::binarystring(key_hash));
    CreatedAdminKey created{domain::AdminKeyId{row[0].as<std::int64_t>()},
                            domain::from_unix_micros(row[1].as<std::int64_t>())};
    write_audit(tx, tenant ? tenant->value : 0, actor ? &*actor : nullptr, "admin_key.create",
                "admin_key", std::to_string(created.id.value),
                {{"name", name}, {"superadmin", !tenant.has_value()}});
    tx.commit();
    return created;
  });
}

std::optional<StoredAdminKey> AdminKeyRepository::find_active(domain::AdminKeyId id) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<StoredAdminKey> {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(sql::kSelectAdminKeyForAuth, id.value);
    if (rows.empty()) return std::nullopt;
    StoredAdminKey key{bytea_of(rows[0][0]), std::nullopt};
    if (!rows[0][1].is_null()) key.tenant = domain::TenantId{rows[0][1].as<std::int64_t>()};
    return key;
  });
}

void AdminKeyRepository::touch(domain::AdminKeyId id) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec_params(sql::kTouchAdminKey, id.value);
  });
}

}  // namespace tessera::store::postgres
