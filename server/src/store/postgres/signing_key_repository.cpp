#include "store/postgres/signing_key_repository.hpp"

#include <pqxx/pqxx>

#include "domain/time.hpp"
#include "store/errors.hpp"
#include "store/postgres/rows.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

std::vector<SigningKeyInfo> select_keys(pqxx::transaction_base& tx, domain::TenantId tenant) {
  std::vector<SigningKeyInfo> keys;
  for (const auto& row : tx.exec_params(sql::kListSigningKeys, tenant.value)) {
    SigningKeyInfo key;
    key.kid = row[0].as<std::string>();
    const auto state = row[1].as<std::string>();
    key.state = state == "next"     ? domain::SigningKeyState::next
                : state == "active" ? domain::SigningKeyState::active
                                    : domain::SigningKeyState::retired;
    key.public_key = bytea_of(row[2]);
    key.created_at = domain::from_unix_micros(row[3].as<std::int64_t>());
    if (!row[4].is_null()) key.retired_at = domain::from_unix_micros(row[4].as<std::int64_t>());
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
    domain::TenantId tenant, const std::function<domain::NewSigningKey()>& make_next,
    const domain::Actor& actor) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    if (tx.exec_params(sql::kLockTenantKeys, tenant.value).empty()) {
      throw NotFound("tenant not found");
    }
    tx.exec_params(sql::kRetireActiveKey, tenant.value);
    tx.exec_params(sql::kActivateNextKey, tenant.value);
    const auto next = make_next();
    tx.exec_params(sql::kInsertSigningKey, tenant.value, next.kid, domain::to_string(next.state),
                   pqxx::binarystring(next.public_key),
                   pqxx::binarystring(next.sealed_private_key));
    auto keys = select_keys(tx, tenant);
    std::string active;
    for (const auto& key : keys) {
      if (key.state == domain::SigningKeyState::active) active = key.kid;
    }
    write_audit(tx, tenant.value, &actor, "signing_key.rotate", "tenant",
                std::to_string(tenant.value), {{"active_kid", active}, {"next_kid", next.kid}});
    tx.commit();
    return keys;
  });
}

}  // namespace tessera::store::postgres
