#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <ctime>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "crypto/random.hpp"
#include "store/postgres/migrator.hpp"
#include "support/test_database.hpp"

namespace tessera::store::postgres {
namespace {

std::vector<std::string> names_of(const std::vector<EmbeddedMigration>& migrations) {
  std::vector<std::string> names;
  for (const auto& m : migrations) names.push_back(m.name);
  return names;
}

// Advisory locks still held by any session: the migration lock must never
// outlive apply(), whether it succeeded or threw.
std::string advisory_locks_held(const test::TestDatabase& db) {
  // pg_locks is cluster-wide: count only this database's locks, since other
  // suites migrate their own databases at the same time.
  return db.query_value(
      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
      "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
}

// Runs `body` and returns the MigrationError's message; fails the test when
// nothing or something else is thrown.
template <typename Body>
std::string migration_error_of(Body&& body) {
  try {
    body();
  } catch (const MigrationError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected MigrationError, got: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected MigrationError, nothing was thrown";
  return "";
}

// C++17 has no std::latch: every thread waits here until all have arrived.
class StartGate {
 public:
  explicit StartGate(int count) : waiting_(count) {}
  void arrive_and_wait() {
    std::unique_lock lock(mutex_);
    if (--waiting_ == 0) {
      open_.notify_all();
      return;
    }
    open_.wait(lock, [this] { return waiting_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable open_;
  int waiting_;
};

TEST(MigrationsPgTest, ApplyingTwiceIsANoOp) {
  test::TestDatabase db(false);
  pqxx::connection connection(db.url());
  Migrator migrator(connection, embedded_migrations());
  EXPECT_EQ(migrator.apply(), names_of(embedded_migrations()));
  const auto recorded =
      db.query_value("SELECT string_agg(name || checksum, ',') FROM schema_migrations");
  EXPECT_TRUE(migrator.apply().empty());
  EXPECT_TRUE(migrator.pending().empty());
  EXPECT_EQ(db.query_value("SELECT string_agg(name || checksum, ',') FROM schema_migrations"),
            recorded);
  EXPECT_EQ(advisory_locks_held(db), "0");
}

TEST(MigrationsPgTest, PendingListsEverythingOnAnEmptyDatabaseAndNothingAfterApply) {
  test::TestDatabase db(false);
  pqxx::connection connection(db.url());
  Migrator migrator(connection, embedded_migrations());
  EXPECT_EQ(migrator.pending(), names_of(embedded_migrations()));
  // pending() only reads: it must not create the bookkeeping table.
  EXPECT_EQ(db.query_value("SELECT to_regclass('schema_migrations')"), "");
  migrator.apply();
  EXPECT_TRUE(migrator.pending().empty());
}

TEST(MigrationsPgTest, RecordsEachMigrationWithTheSha256OfItsText) {
  test::TestDatabase db;
  pqxx::connection connection(db.url());
  pqxx::nontransaction tx(connection);
  for (const auto& m : embedded_migrations()) {
    const auto rows = tx.exec_params(
        "SELECT checksum = encode(sha256(convert_to($2, 'UTF8')), 'hex') FROM schema_migrations "
        "WHERE name = $1",
        m.name, m.sql);
    ASSERT_EQ(rows.size(), 1u) << m.name;
    EXPECT_TRUE(rows[0][0].as<bool>()) << m.name;
  }
}

TEST(MigrationsPgTest, RefusesAMigrationEditedAfterItWasApplied) {
  test::TestDatabase db;
  const auto& name = embedded_migrations().front().name;
  pqxx::connection connection(db.url());
  Migrator edited(connection, {{name, "CREATE TABLE edited_in_place (id integer);"}});

  EXPECT_NE(migration_error_of([&] { edited.pending(); }).find(name), std::string::npos);
  EXPECT_NE(migration_error_of([&] { edited.apply(); }).find(name), std::string::npos);
  EXPECT_EQ(db.query_value("SELECT to_regclass('edited_in_place')"), "");
  EXPECT_EQ(advisory_locks_held(db), "0");
}

// "A newer release": the database has a migration this binary does not know.
// Additive by the upgrade rule (migrations/COMPATIBILITY.md), so serve's
// check lets it start (with a warning, SchemaCheck::newer) and migrate has
// nothing to do.
TEST(MigrationsPgTest, AMigrationFromANewerReleaseIsListedAsNewerAndNotRefused) {
  test::TestDatabase db;
  db.execute(
      "INSERT INTO schema_migrations (name, checksum) VALUES ('9999_from_a_newer_release.sql', "
      "'0123')");
  pqxx::connection connection(db.url());
  Migrator older(connection, embedded_migrations());

  const auto check = older.check();
  EXPECT_TRUE(check.pending.empty());
  EXPECT_EQ(check.newer, std::vector<std::string>{"9999_from_a_newer_release.sql"});
  EXPECT_TRUE(check.incompatible.empty());
  EXPECT_TRUE(older.pending().empty());
  EXPECT_TRUE(older.apply().empty());
  EXPECT_EQ(advisory_locks_held(db), "0");
}

// The same with the row a marked migration leaves: serve's check refuses.
TEST(MigrationsPgTest, AMigrationFromANewerReleaseMarkedBreaksOlderServersIsIncompatible) {
  test::TestDatabase db;
  db.execute(
      "INSERT INTO schema_migrations (name, checksum, breaks_older_servers) "
      "VALUES ('9999_from_a_newer_release.sql', '0123', true)");
  pqxx::connection connection(db.url());
  const auto check = Migrator(connection, embedded_migrations()).check();
  EXPECT_TRUE(check.pending.empty());
  EXPECT_EQ(check.newer, std::vector<std::string>{"9999_from_a_newer_release.sql"});
  EXPECT_EQ(check.incompatible, std::vector<std::string>{"9999_from_a_newer_release.sql"});
}

// migrate records the marker's flag, so a binary without the file reads it.
TEST(MigrationsPgTest, ApplyingAMarkedMigrationRecordsTheFlagThatAnOlderBinaryReads) {
  test::TestDatabase db(false);
  pqxx::connection connection(db.url());
  auto newer = embedded_migrations();
  newer.push_back({"9998_additive.sql", "CREATE TABLE from_newer_additive (id integer);"});
  newer.push_back({"9999_breaking.sql",
                   std::string(kBreaksOlderServersMarker) + "\nDROP TABLE from_newer_additive;"});
  EXPECT_EQ(Migrator(connection, newer).apply().size(), newer.size());
  EXPECT_EQ(db.query_value("SELECT string_agg(name, ',' ORDER BY name) FROM schema_migrations "
                           "WHERE breaks_older_servers"),
            "9999_breaking.sql");

  Migrator older(connection, embedded_migrations());
  const auto check = older.check();
  EXPECT_EQ(check.newer, (std::vector<std::string>{"9998_additive.sql", "9999_breaking.sql"}));
  EXPECT_EQ(check.incompatible, std::vector<std::string>{"9999_breaking.sql"});
}

TEST(MigrationsPgTest, StatusListsAppliedEditedPendingAndNewerMigrationsInNameOrder) {
  test::TestDatabase db(false);
  pqxx::connection connection(db.url());
  const auto& all = embedded_migrations();
  ASSERT_GE(all.size(), 3u);
  // The first two applied, then the first one "edited", the last not yet.
  std::vector<EmbeddedMigration> first_two(all.begin(), all.begin() + 2);
  Migrator(connection, first_two).apply();
  db.execute("INSERT INTO schema_migrations (name, checksum) VALUES ('9999_newer.sql', '0123')");
  auto binary = all;
  binary.front().sql += "\n-- edited";

  const auto status = Migrator(connection, binary).status();
  ASSERT_EQ(status.size(), all.size() + 1);
  EXPECT_EQ(status[0].name, all[0].name);
  EXPECT_EQ(status[0].state, MigrationState::State::edited);
  EXPECT_EQ(status[1].state, MigrationState::State::applied);
  EXPECT_FALSE(status[1].applied_at.empty());
  EXPECT_EQ(status[2].state, MigrationState::State::pending);
  EXPECT_TRUE(status[2].applied_at.empty());
  EXPECT_EQ(status.back().name, "9999_newer.sql");
  EXPECT_EQ(status.back().state, MigrationState::State::newer);
  EXPECT_FALSE(status.back().breaks_older_servers);
}

TEST(MigrationsPgTest, AFailingMigrationRollsBackEntirelyAndIsNotRecorded) {
  test::TestDatabase db(false);
  pqxx::connection connection(db.url());
  const EmbeddedMigration first{"0001_first.sql", "CREATE TABLE first_table (id integer);"};
  const EmbeddedMigration broken{
      "0002_broken.sql",
      "CREATE TABLE second_table (id integer);\nSELECT no_such_column FROM first_table;"};
  Migrator migrator(connection, {first, broken});

  const auto message = migration_error_of([&] { migrator.apply(); });
  EXPECT_NE(message.find("0002_broken.sql"), std::string::npos) << message;
  EXPECT_EQ(db.query_value("SELECT to_regclass('first_table')"), "first_table");
  EXPECT_EQ(db.query_value("SELECT to_regclass('second_table')"), "");
  EXPECT_EQ(db.query_value("SELECT string_agg(name, ',') FROM schema_migrations"),
            "0001_first.sql");
  EXPECT_EQ(advisory_locks_held(db), "0");

  // Once the file is fixed, the next run applies it (and only it).
  const EmbeddedMigration fixed{"0002_broken.sql", "CREATE TABLE second_table (id integer);"};
  EXPECT_EQ(Migrator(connection, {first, fixed}).apply(),
            std::vector<std::string>{"0002_broken.sql"});
  EXPECT_EQ(db.query_value("SELECT to_regclass('second_table')"), "second_table");
}

TEST(MigrationsPgTest, TwoConcurrentRunsApplyEachMigrationExactlyOnce) {
  // Repeated so that both orders of arrival at the lock get a chance.
  for (int round = 0; round < 3; ++round) {
    test::TestDatabase db(false);
    pqxx::connection first(db.url());
    pqxx::connection second(db.url());
    StartGate gate(2);
    std::vector<std::string> applied[2];
    std::string errors[2];
    auto run = [&](int i, pqxx::connection& connection) {
      Migrator migrator(connection, embedded_migrations());
      gate.arrive_and_wait();
      try {
        applied[i] = migrator.apply();
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    };
    std::thread a(run, 0, std::ref(first));
    std::thread b(run, 1, std::ref(second));
    a.join();
    b.join();

    EXPECT_EQ(errors[0], "") << "round " << round;
    EXPECT_EQ(errors[1], "") << "round " << round;
    std::vector<std::string> all = applied[0];
    all.insert(all.end(), applied[1].begin(), applied[1].end());
    std::sort(all.begin(), all.end());
    EXPECT_EQ(all, names_of(embedded_migrations())) << "round " << round;
    EXPECT_EQ(db.query_value("SELECT count(*) FROM schema_migrations"),
              std::to_string(embedded_migrations().size()));
    EXPECT_EQ(advisory_locks_held(db), "0");
  }
}

// The token partitions, computed here independently of the SQL functions
// that make them: weeks run from Monday 00:00 UTC, and a UUIDv7 starts with
// its issue time in milliseconds.
constexpr std::int64_t kMillisPerDay = 86'400'000;

std::int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The Monday 00:00 UTC that starts the week `weeks_ahead` weeks after the one
// holding `millis` (1970-01-01 was a Thursday).
std::int64_t week_start_millis(std::int64_t millis, int weeks_ahead = 0) {
  const std::int64_t day = millis / kMillisPerDay;
  return (day - (day + 3) % 7 + 7 * weeks_ahead) * kMillisPerDay;
}

std::string partition_name(std::int64_t week_start) {
  const std::time_t seconds = static_cast<std::time_t>(week_start / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char date[16];
  std::strftime(date, sizeof date, "%Y%m%d", &utc);
  return std::string("tokens_p") + date;
}

std::string hex(std::int64_t value, int digits) {
  std::string out(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0 && value > 0; --i, value >>= 4) {
    out[static_cast<std::size_t>(i)] = "0123456789abcdef"[value & 0xf];
  }
  return out;
}

// The smallest UUID of an instant: the bound between two partitions.
std::string uuid_floor(std::int64_t millis) {
  const auto h = hex(millis, 12);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-0000-0000-000000000000";
}

// A UUIDv7 (RFC 9562 §5.7) of the instant, with random bits after the time.
std::string uuid7(std::int64_t millis) {
  std::string r;
  for (unsigned char c : crypto::random_bytes(10)) r += hex(c, 2);
  const auto h = hex(millis, 12);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-7" + r.substr(0, 3) + "-" + "89ab"[r[3] % 4] +
         r.substr(4, 3) + "-" + r.substr(7, 12);
}

std::string insert_token_with_id(const std::string& id) {
  return "INSERT INTO tokens (tenant_id, id, client_id, api_id, scope, format, issued_at, "
         "expires_at) VALUES (1, '" +
         id +
         "', 'client-aaaaaaaaaaaa', 1, '', 'opaque', now(), "
         "now() + interval '1 hour')";
}

TEST(TokenPartitionsPgTest, TokensAreRangePartitionedIntoWeeksFromThisOne) {
  test::TestDatabase db;
  EXPECT_EQ(db.query_value("SELECT partstrat FROM pg_partitioned_table "
                           "WHERE partrelid = 'tokens'::regclass"),
            "r");
  const auto now = now_millis();
  for (int week = 0; week < 4; ++week) {
    const auto start = week_start_millis(now, week);
    const auto name = partition_name(start);
    EXPECT_EQ(db.query_value("SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
                             "JOIN pg_class c ON c.oid = i.inhrelid "
                             "WHERE i.inhparent = 'tokens'::regclass AND c.relname = '" +
                             name + "'"),
              "FOR VALUES FROM ('" + uuid_floor(start) + "') TO ('" +
                  uuid_floor(week_start_millis(now, week + 1)) + "')")
        << name;
  }
  EXPECT_EQ(
      db.query_value("SELECT to_regclass('" + partition_name(week_start_millis(now, -1)) + "')"),
      "");
  EXPECT_EQ(db.query_value("SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c "
                           "WHERE c.relname = 'tokens_default'"),
            "DEFAULT");
}

TEST(TokenPartitionsPgTest, EnsuringPartitionsIsIdempotent) {
  test::TestDatabase db;
  const auto now = now_millis();
  std::string names;
  for (int week = 0; week < 6; ++week) {
    names += std::string(names.empty() ? "" : ",") + "'" +
             partition_name(week_start_millis(now, week)) + "'";
  }
  const auto count_sql = "SELECT count(*) FROM pg_class WHERE relname IN (" + names + ")";
  const int existing = std::stoi(db.query_value(count_sql));
  EXPECT_LT(existing, 6);  // the migration makes fewer weeks than asked for here
  EXPECT_EQ(db.query_value("SELECT tessera_ensure_token_partitions(now(), 6)"),
            std::to_string(6 - existing));
  EXPECT_EQ(db.query_value("SELECT tessera_ensure_token_partitions(now(), 6)"), "0");
  EXPECT_EQ(db.query_value(count_sql), "6");
}

TEST(TokenPartitionsPgTest, EnsuringPartitionsForAGivenWeekNamesThemByTheirMonday) {
  test::TestDatabase db;
  // 2030-01-09 is a Wednesday; its week starts on Monday 2030-01-07.
  EXPECT_EQ(db.query_value("SELECT tessera_ensure_token_partitions('2030-01-09 15:00+00', 2)"),
            "2");
  EXPECT_EQ(db.query_value("SELECT pg_get_expr(relpartbound, oid) FROM pg_class "
                           "WHERE relname = 'tokens_p20300107'"),
            "FOR VALUES FROM ('" + uuid_floor(1893974400000) + "') TO ('" +
                uuid_floor(1893974400000 + 7 * kMillisPerDay) + "')");
  EXPECT_EQ(db.query_value("SELECT to_regclass('tokens_p20300114')"), "tokens_p20300114");
}

TEST(TokenPartitionsPgTest, ATokenIssuedNowLandsInThisWeeksPartition) {
  test::TestDatabase db;
  const auto now = now_millis();
  const auto id = uuid7(now);
  db.execute(insert_token_with_id(id));
  EXPECT_EQ(db.query_value("SELECT tableoid::regclass::text FROM tokens WHERE id = '" + id + "'"),
            partition_name(week_start_millis(now)));
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens_default"), "0");
}

TEST(TokenPartitionsPgTest, ATokenFarOutsideEveryWeekLandsInTheDefaultPartition) {
  test::TestDatabase db;
  const auto id = uuid7(now_millis() + 400 * kMillisPerDay);
  db.execute(insert_token_with_id(id));
  EXPECT_EQ(db.query_value("SELECT tableoid::regclass::text FROM tokens WHERE id = '" + id + "'"),
            "tokens_default");
}

}  // namespace
}  // namespace tessera::store::postgres
