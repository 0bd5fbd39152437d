#pragma once

#include <string>
#include <vector>

namespace tessera::store::postgres {

// One migrations/*.sql file, embedded in the binary at build time.
struct EmbeddedMigration {
  std::string name;  // file name, e.g. "0001_init.sql"; also the version key
  std::string sql;
};

// Every embedded migration, sorted by name (which is the order they apply in).
const std::vector<EmbeddedMigration>& embedded_migrations();

}  // namespace tessera::store::postgres
