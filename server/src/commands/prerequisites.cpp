#include "commands/prerequisites.hpp"

#include "store/postgres/master_key_registry.hpp"
#include "store/postgres/migrator.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::commands {

void require_migrated(const config::Config& config) {
  auto connection = store::postgres::connect(config.database_url);
  store::postgres::Migrator migrator(*connection, store::postgres::embedded_migrations());
  if (!migrator.pending().empty()) {
    throw std::runtime_error("migrations are pending: run `tessera migrate` first");
  }
}

crypto::MasterKeyRing number_master_keys(const config::Config& config) {
  const auto& current = config::require_master_key(config);
  auto connection = store::postgres::connect(config.database_url);
  return store::postgres::register_master_keys(*connection, current, config.previous_master_keys);
}

}  // namespace tessera::commands
