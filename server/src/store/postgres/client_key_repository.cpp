#include "store/postgres/client_key_repository.hpp"

#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "store/errors.hpp"
#include "store/postgres/rows.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

ClientKeyInfo read_key(const pqxx::row& row) {
  ClientKeyInfo k;
  k.id = row[0].as<std::int64_t>();
  if (!row[1].is_null()) k.kid = row[1].as<std::string>();
  k.alg = signing_alg_of(row[2]);
  k.thumbprint = row[3].as<std::string>();
  k.jwk_json = row[4].as<std::string>();
  k.created_at = domain::from_unix_micros(row[5].as<std::int64_t>());
  return k;
}

// What the audit trail keeps of a key: enough to recognise it, nothing more.
nlohmann::json audit_details(const ClientKeyInfo& key) {
  return {{"id", key.id},
          {"kid", key.kid ? nlohmann::json(*key.kid) : nlohmann::json()},
          {"alg", domain::to_string(key.alg)},
          {"thumbprint", key.thumbprint}};
}

struct KeyHolder {
  bool key_only = false;  // private_key_jwt
  bool has_jwks_uri = false;
};

KeyHolder lock_key_holder(pqxx::work& tx, domain::TenantId tenant, const domain::ClientId& client) {
  auto rows = tx.exec_params(sql::kLockClientKeyHolder, tenant.value, client.value);
  if (rows.empty()) throw NotFound("client not found");
  return {
      rows[0][0].as<std::string>() == domain::to_string(domain::ClientAuthMethod::private_key_jwt),
      rows[0][1].as<bool>()};
}

}  // namespace

ClientKeyInfo insert_client_key(pqxx::work& tx, domain::TenantId tenant,
                                const domain::ClientId& client, const NewClientKey& key,
                                const domain::Actor& actor) {
  const auto id =
      tx.exec_params1(sql::kInsertClientKey, tenant.value, client.value, nullable(key.kid),
                      domain::to_string(key.alg), key.thumbprint, key.jwk_json)[0]
          .as<std::int64_t>();
  auto created = read_key(tx.exec_params1(sql::kSelectClientKey, tenant.value, client.value, id));
  write_audit(tx, tenant.value, &actor, "client.key.add", "client", client.value,
              audit_details(created));
  return created;
}

std::vector<ClientKeyInfo> ClientKeyRepository::list_keys(domain::TenantId tenant,
                                                          const domain::ClientId& client) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<ClientKeyInfo> keys;
    for (const auto& row : tx.exec_params(sql::kListClientKeys, tenant.value, client.value)) {
      keys.push_back(read_key(row));
    }
    return keys;
  });
}

ClientKeyInfo ClientKeyRepository::add_key(domain::TenantId tenant, const domain::ClientId& client,
                                           const NewClientKey& key, const domain::Actor& actor) {
  return pool_.run([&](pqxx::connection& c) {
    try {
      pqxx::work tx(c);
      lock_key_holder(tx, tenant, client);
      const auto count =
          tx.exec_params1(sql::kCountClientKeys, tenant.value, client.value)[0].as<long>();
      if (count >= static_cast<long>(domain::kMaxClientKeys)) {
        throw Conflict("", "the client already has " + std::to_string(domain::kMaxClientKeys) +
                               " keys, the most it may have: remove one first");
      }
      auto created = insert_client_key(tx, tenant, client, key, actor);
      tx.commit();
      return created;
    } catch (const pqxx::unique_violation&) {
      rethrow_as_conflict();
      throw;
    }
  });
}

void ClientKeyRepository::remove_key(domain::TenantId tenant, const domain::ClientId& client,
                                     std::int64_t key, const domain::Actor& actor) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto holder = lock_key_holder(tx, tenant, client);
    auto rows = tx.exec_params(sql::kSelectClientKey, tenant.value, client.value, key);
    if (rows.empty()) throw NotFound("key not found");
    const auto removed = read_key(rows[0]);
    const auto count =
        tx.exec_params1(sql::kCountClientKeys, tenant.value, client.value)[0].as<long>();
    // The same spirit as the last valid secret: a key-only client without
    // a jwks_uri would be left with no way to authenticate.
    if (holder.key_only && !holder.has_jwks_uri && count <= 1) {
      throw Conflict("id",
                     "this is the last key of a private_key_jwt client without a jwks_uri: "
                     "add its replacement first");
    }
    tx.exec_params(sql::kDeleteClientKey, tenant.value, client.value, key);
    write_audit(tx, tenant.value, &actor, "client.key.remove", "client", client.value,
                audit_details(removed));
    tx.commit();
  });
}

}  // namespace tessera::store::postgres
