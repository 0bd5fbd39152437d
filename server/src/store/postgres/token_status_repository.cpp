#include "store/postgres/token_status_repository.hpp"

#include <pqxx/pqxx>

#include "domain/time.hpp"
#include "store/postgres/rows.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {

std::optional<TokenStatus> TokenStatusRepository::find_status(domain::TenantId tenant,
                                                              const crypto::Uuid& id) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<TokenStatus> {
    pqxx::nontransaction tx(c);
    auto rows = tx.exec_params(sql::kSelectTokenStatus, tenant.value, crypto::uuid_text(id));
    if (rows.empty()) return std::nullopt;
    const auto& row = rows[0];
    TokenStatus status;
    status.client_id = row[0].as<std::string>();
    status.api = domain::ApiId{row[1].as<std::int64_t>()};
    status.scope = row[2].as<std::string>();
    status.format =
        domain::parse_token_format(row[3].as<std::string>()).value_or(domain::TokenFormat::opaque);
    if (!row[4].is_null()) status.token_hash = bytea_of(row[4]);
    status.issued_at = domain::from_unix_micros(row[5].as<std::int64_t>());
    status.expires_at = domain::from_unix_micros(row[6].as<std::int64_t>());
    status.revoked = row[7].as<bool>();
    status.master_key = domain::MasterKeyId{row[8].as<std::int16_t>()};
    if (!row[9].is_null()) status.dpop_jkt = row[9].as<std::string>();
    return status;
  });
}

void TokenStatusRepository::revoke(domain::TenantId tenant, const crypto::Uuid& id) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec_params(sql::kRevokeToken, tenant.value, crypto::uuid_text(id));
  });
}

}  // namespace tessera::store::postgres
