#include "commands/commands.hpp"
#include "log/log.hpp"
#include "store/postgres/migrator.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::commands {

int migrate(const config::Config& config) {
  auto connection = store::postgres::connect(config.database_url);
  store::postgres::Migrator migrator(*connection, store::postgres::embedded_migrations());
  const auto applied = migrator.apply();
  for (const auto& name : applied) log::info("migration applied", {{"migration", name}});
  log::info(applied.empty() ? "database is up to date" : "migrations complete",
            {{"applied", applied.size()}});
  return 0;
}

}  // namespace tessera::commands
