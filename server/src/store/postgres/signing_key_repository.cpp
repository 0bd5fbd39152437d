#include "store/postgres/signing_key_repository.hpp"

#include <pqxx/pqxx>
#include <set>

#include "domain/time.hpp"
#include "store/errors.hpp"
#include "store/postgres/rows.hpp"
#include "store/postgres/signing_key_sync.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

std::vector<SigningKeyInfo> select_keys(pqxx::transaction_base& tx, domain::TenantId tenant) {
  std::vector<SigningKeyInfo> keys;
  for (const auto& row : tx.exec_params(sql::kListSigningKeys, tenant.value)) {
    SigningKeyInfo key;
    key.kid = row[0].as<std::string>();
    key.alg = signing_alg_of(row[1]);
    key.state = signing_key_state_of(row[2]);
    key.public_key = bytea_of(row[3]);
    key.created_at = domain::from_unix_micros(row[4].as<std::int64_t>());
    if (!row[5].is_null()) key.retired_at = domain::from_unix_micros(row[5].as<std::int64_t>());
    keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace

std::vector<SigningKeyInfo> SigningKeyRepository::list_signing_keys(domain::TenantId tenant) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return select_keys(tx, tenant);
  });
}

std::vector<SigningKeyInfo> SigningKeyRepository::rotate_signing_keys(
    domain::TenantId tenant, const MakeSigningKey& make_key, const domain::Actor& actor) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // Locks the tenant, and makes sure every algorithm in use has its keys.
    sync_signing_keys(tx, tenant, make_key);
    std::set<domain::SigningAlg> algs;
    for (const auto& row : tx.exec_params(sql::kSigningAlgsWithKeys, tenant.value)) {
      algs.insert(signing_alg_of(row[0]));
    }
    nlohmann::json rotated = nlohmann::json::object();
    for (const auto alg : algs) {
      const auto name = domain::to_string(alg);
      tx.exec_params(sql::kRetireActiveKey, tenant.value, name);
      tx.exec_params(sql::kActivateNextKey, tenant.value, name);
      const auto next = make_key(tenant, alg, domain::SigningKeyState::next);
      insert_signing_key(tx, tenant, next);
      rotated[name] = {{"next_kid", next.kid}};
    }
    auto keys = select_keys(tx, tenant);
    for (const auto& key : keys) {
      if (key.state == domain::SigningKeyState::active && rotated.contains(to_string(key.alg))) {
        rotated[to_string(key.alg)]["active_kid"] = key.kid;
      }
    }
    write_audit(tx, tenant.value, &actor, "signing_key.rotate", "tenant",
                std::to_string(tenant.value), {{"algorithms", rotated}});
    tx.commit();
    return keys;
  });
}

}  // namespace tessera::store::postgres
