#include "store/postgres/assertion_jti_repository.hpp"

#include <pqxx/pqxx>

#include "domain/time.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {

bool AssertionJtiRepository::claim(domain::TenantId tenant, const std::string& client_id,
                                   const std::string& jti, domain::Timestamp expires_at) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return !tx.exec_params(sql::kClaimAssertionJti, tenant.value, client_id, jti,
                           domain::to_unix_micros(expires_at))
                .empty();
  });
}

}  // namespace tessera::store::postgres
