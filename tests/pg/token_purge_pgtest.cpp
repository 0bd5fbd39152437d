// The purge of expired token records (migrations/0002_token_purge.sql, SPEC
// §5): whole weekly partitions go once every record in them is past its
// expiry plus the retention period; nothing younger is touched.
#include <gtest/gtest.h>

#include <future>
#include <pqxx/pqxx>
#include <string>

#include "domain/validation.hpp"
#include "store/postgres/partition_keeper.hpp"
#include "store/postgres/pool.hpp"
#include "store/postgres/sql/migrations.hpp"
#include "support/test_database.hpp"

namespace tessera::test {
namespace {

// A token whose id falls in the week of `issued` (distinct per `n`).
std::string insert_token(const std::string& issued, const std::string& expires, int n) {
  return "INSERT INTO tokens (tenant_id, id, client_id, api_id, scope, format, issued_at, "
         "expires_at) VALUES (1, tessera_uuid7_floor(timestamptz '" +
         issued + "' + " + std::to_string(n) +
         " * interval '1 millisecond'), 'client-aaaaaaaaaaaa', 1, '', "
         "'opaque', '" +
         issued + "', '" + expires + "')";
}

std::string exists(const std::string& partition) {
  return "SELECT to_regclass('" + partition + "') IS NOT NULL";
}

class TokenPurgePgTest : public ::testing::Test {
 protected:
  TokenPurgePgTest() {
    // Three weeks in 2020: Mondays 6, 13 and 20 January.
    db.query_value("SELECT tessera_ensure_token_partitions('2020-01-08 00:00+00', 3)");
    db.execute(insert_token("2020-01-07 10:00+00", "2020-01-07 11:00+00", 1));  // one hour
    db.execute(insert_token("2020-01-14 10:00+00", "2020-02-10 10:00+00", 2));  // 27 days
    db.execute(insert_token("2020-01-15 10:00+00", "2020-01-15 11:00+00", 3));
  }

  std::string purge(const std::string& expired_before) {
    return db.query_value("CALL tessera_purge_tokens('" + expired_before +
                          "', interval '30 days')");
  }

  TestDatabase db;
};

TEST_F(TokenPurgePgTest, DropsTheWeeksWhoseRecordsAllExpiredBeforeTheCutoff) {
  EXPECT_EQ(purge("2020-01-31 00:00+00"), "2");
  EXPECT_EQ(db.query_value(exists("tokens_p20200106")), "f");  // all expired
  EXPECT_EQ(db.query_value(exists("tokens_p20200113")), "t");  // one record lives on
  EXPECT_EQ(db.query_value(exists("tokens_p20200120")), "f");  // empty and over
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "2");

  // Once the longest lifetime has passed too, the week goes without a look.
  EXPECT_EQ(purge("2020-03-15 00:00+00"), "1");
  EXPECT_EQ(db.query_value(exists("tokens_p20200113")), "f");
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "0");
  EXPECT_EQ(purge("2020-03-15 00:00+00"), "0");
}

TEST_F(TokenPurgePgTest, KeepsWeeksThatEndedAfterTheCutoff) {
  // 2020-01-10: the week of the 6th is still running at the cutoff.
  EXPECT_EQ(purge("2020-01-10 00:00+00"), "0");
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "3");
}

TEST_F(TokenPurgePgTest, KeepsTheCurrentWeeksAndTheirTokens) {
  db.execute(insert_token("now", "2999-01-01 00:00+00", 4));
  const auto partitions_before =
      db.query_value("SELECT count(*) FROM pg_inherits WHERE inhparent = 'tokens'::regclass");
  EXPECT_EQ(db.query_value("CALL tessera_purge_tokens(now() - interval '7 days', "
                           "interval '30 days')"),
            "3");  // only the three weeks of 2020
  EXPECT_EQ(db.query_value("SELECT count(*) FROM pg_inherits WHERE inhparent = 'tokens'::regclass"),
            std::to_string(std::stoi(partitions_before) - 3));
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "1");
}

TEST_F(TokenPurgePgTest, TheServersOwnCallCommitsStepByStepThroughLibpqxx) {
  // What PartitionKeeper sends, on a connection as it uses one: the
  // procedure commits between steps, which only works outside a transaction
  // block.
  pqxx::connection connection(db.url());
  pqxx::nontransaction tx(connection);
  const auto result = tx.exec(store::postgres::sql::purge_tokens_call(7 * 86400, domain::kMaxTtl));
  EXPECT_EQ(result[0][0].as<int>(), 3);
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "0");
}

TEST_F(TokenPurgePgTest, DeletesExpiredRowsOfTheDefaultPartition) {
  // Ids from 2001, a week that has no partition: they land in the default.
  db.execute(insert_token("2001-01-01 00:00+00", "2001-01-01 01:00+00", 5));
  db.execute(insert_token("2001-01-01 00:00+00", "2999-01-01 00:00+00", 6));
  ASSERT_EQ(db.query_value("SELECT count(*) FROM tokens_default"), "2");
  purge("2020-01-01 00:00+00");
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens_default"), "1");
  EXPECT_EQ(db.query_value("SELECT expires_at > '2100-01-01' FROM tokens_default"), "t");
}

// Every instance runs a PartitionKeeper: one round at a time, the others
// skip theirs (an advisory lock), so two instances never drop the same week.
TEST_F(TokenPurgePgTest, OneInstanceAtATimeKeepsThePartitions) {
  store::postgres::Pool first_pool(db.url(), 1);
  store::postgres::Pool second_pool(db.url(), 1);
  const std::chrono::hours far_off(24 * 365);  // the test calls keep() itself
  store::postgres::PartitionKeeper first(first_pool, std::chrono::hours(24 * 7), far_off);
  store::postgres::PartitionKeeper second(second_pool, std::chrono::hours(24 * 7), far_off);

  // While another instance's round holds the lock, a round does nothing.
  pqxx::connection other(db.url());
  pqxx::nontransaction held(other);
  ASSERT_TRUE(held.exec(store::postgres::sql::kTryMaintenanceLock)[0][0].as<bool>());
  const auto skipped = first.keep();
  EXPECT_FALSE(skipped.ran);
  EXPECT_EQ(db.query_value(exists("tokens_p20200106")), "t");
  held.exec(store::postgres::sql::kMaintenanceUnlock);

  // Two instances at once: one round drops the three weeks of 2020, the
  // other drops nothing or skips; neither fails.
  auto one = std::async(std::launch::async, [&] { return first.keep(); });
  auto two = std::async(std::launch::async, [&] { return second.keep(); });
  const auto a = one.get();
  const auto b = two.get();
  EXPECT_TRUE(a.ran || b.ran);
  EXPECT_GE(a.created, 0);
  EXPECT_GE(b.created, 0);
  EXPECT_EQ(std::max(a.dropped, 0) + std::max(b.dropped, 0), 3);
  EXPECT_GE(std::min(a.dropped, b.dropped), 0);
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "0");
  // The lock is free again for the next round.
  EXPECT_TRUE(second.keep().ran);
}

}  // namespace
}  // namespace tessera::test
