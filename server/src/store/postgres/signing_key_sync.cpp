#include "store/postgres/signing_key_sync.hpp"

#include <set>

#include "store/errors.hpp"
#include "store/postgres/rows.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

std::set<domain::SigningAlg> algs_of(const pqxx::result& rows) {
  std::set<domain::SigningAlg> algs;
  for (const auto& row : rows) algs.insert(signing_alg_of(row[0]));
  return algs;
}

}  // namespace

void insert_signing_key(pqxx::work& tx, domain::TenantId tenant, const domain::NewSigningKey& key) {
  tx.exec_params(sql::kInsertSigningKey, tenant.value, key.kid, domain::to_string(key.alg),
                 domain::to_string(key.state), pqxx::binarystring(key.public_key),
                 pqxx::binarystring(key.sealed_private_key), key.master_key.value);
}

void sync_signing_keys(pqxx::work& tx, domain::TenantId tenant, const MakeSigningKey& make_key) {
  if (tx.exec_params(sql::kLockTenantKeys, tenant.value).empty()) {
    throw NotFound("tenant not found");
  }
  const auto in_use = algs_of(tx.exec_params(sql::kSigningAlgsInUse, tenant.value));
  const auto with_keys = algs_of(tx.exec_params(sql::kSigningAlgsWithKeys, tenant.value));
  for (const auto alg : in_use) {
    if (with_keys.count(alg) != 0) continue;
    // A next key too, from the start: verifiers fetch it before the first
    // rotation makes it sign (SPEC §3.4).
    insert_signing_key(tx, tenant, make_key(tenant, alg, domain::SigningKeyState::active));
    insert_signing_key(tx, tenant, make_key(tenant, alg, domain::SigningKeyState::next));
  }
  for (const auto alg : with_keys) {
    if (in_use.count(alg) != 0) continue;
    tx.exec_params(sql::kRetireActiveKey, tenant.value, domain::to_string(alg));
    tx.exec_params(sql::kDeleteNextKey, tenant.value, domain::to_string(alg));
  }
}

}  // namespace tessera::store::postgres
