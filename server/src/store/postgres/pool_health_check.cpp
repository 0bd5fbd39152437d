#include "store/postgres/pool_health_check.hpp"

#include <pqxx/pqxx>

namespace tessera::store::postgres {

bool PoolHealthCheck::database_reachable() {
  try {
    return pool_.run([](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      return tx.exec("SELECT 1")[0][0].as<int>() == 1;
    });
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace tessera::store::postgres
