#include "store/postgres/admin_key_repository.hpp"

#include <pqxx/pqxx>

#include "domain/time.hpp"
#include "store/errors.hpp"
#include "store/postgres/page.hpp"
#include "store/postgres/rows.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {

CreatedAdminKey AdminKeyRepository::create(const std::string& name,
                                           std::optional<domain::TenantId> tenant,
                                           const std::string& key_hash,
                                           domain::MasterKeyId master_key,
                                           const std::optional<domain::Actor>& actor) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    std::optional<std::string> tenant_id;
    if (tenant) tenant_id = std::to_string(tenant->value);
    const auto row = tx.exec_params1(sql::kInsertAdminKey, name, nullable(tenant_id),
                                     pqxx::binarystring(key_hash), master_key.value);
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
    StoredAdminKey key;
    key.key_hash = bytea_of(rows[0][0]);
    if (!rows[0][1].is_null()) key.tenant = domain::TenantId{rows[0][1].as<std::int64_t>()};
    key.tenant_disabled = !rows[0][2].is_null() && rows[0][2].as<bool>();
    key.master_key = domain::MasterKeyId{rows[0][3].as<std::int16_t>()};
    return key;
  });
}

void AdminKeyRepository::touch(domain::AdminKeyId id) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec_params(sql::kTouchAdminKey, id.value);
  });
}

void AdminKeyRepository::rehash(domain::AdminKeyId id, domain::MasterKeyId from,
                                const std::string& key_hash, domain::MasterKeyId to) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec_params(sql::kRehashAdminKey, id.value, from.value, pqxx::binarystring(key_hash),
                   to.value);
  });
}

namespace {

AdminKeyInfo read_admin_key(const pqxx::row& row) {
  AdminKeyInfo key;
  key.id = domain::AdminKeyId{row[0].as<std::int64_t>()};
  key.name = row[1].as<std::string>();
  if (!row[2].is_null()) key.tenant_slug = row[2].as<std::string>();
  if (!row[3].is_null()) key.tenant = domain::TenantId{row[3].as<std::int64_t>()};
  key.created_at = domain::from_unix_micros(row[4].as<std::int64_t>());
  if (!row[5].is_null()) key.last_used_at = domain::from_unix_micros(row[5].as<std::int64_t>());
  return key;
}

}  // namespace

domain::Page<AdminKeyInfo> AdminKeyRepository::list(std::optional<domain::TenantId> only,
                                                    std::optional<std::int64_t> after, int limit) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::optional<std::string> only_id;
    if (only) only_id = std::to_string(only->value);
    auto rows =
        tx.exec_params(sql::kListAdminKeys, after.value_or(0), limit + 1, nullable(only_id));
    return make_page<AdminKeyInfo>(rows, limit, read_admin_key, [](const AdminKeyInfo& k) {
      return std::to_string(k.id.value);
    });
  });
}

std::optional<AdminKeyInfo> AdminKeyRepository::find(domain::AdminKeyId id) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<AdminKeyInfo> {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(sql::kSelectAdminKey, id.value);
    if (rows.empty()) return std::nullopt;
    return read_admin_key(rows[0]);
  });
}

void AdminKeyRepository::revoke(domain::AdminKeyId id, const domain::Actor& actor) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto rows = tx.exec_params(sql::kSelectAdminKey, id.value);
    if (rows.empty()) throw NotFound("admin key not found");
    const auto key = read_admin_key(rows[0]);
    tx.exec_params(sql::kRevokeAdminKey, id.value);
    write_audit(tx, key.tenant ? key.tenant->value : 0, &actor, "admin_key.revoke", "admin_key",
                std::to_string(id.value), {{"name", key.name}});
    tx.commit();
  });
}

}  // namespace tessera::store::postgres
