#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "store/postgres/migrator.hpp"
#include "support/test_database.hpp"

namespace tessera::store::postgres {
namespace {

TEST(MigrationsPgTest, ApplyingTwiceIsANoOp) {
  test::TestDatabase db(false);
  pqxx::connection connection(db.url());
  Migrator migrator(connection, embedded_migrations());
  EXPECT_EQ(migrator.apply().size(), embedded_migrations().size());
  EXPECT_TRUE(migrator.apply().empty());
  EXPECT_TRUE(migrator.pending().empty());
}

}  // namespace
}  // namespace tessera::store::postgres
