// Group commit with a bad record among good ones (SPEC §6: one request's
// input can never make another request fail). Token records share a batch,
// one INSERT per batch; a record PostgreSQL would reject must cost only its
// own request, whoever else shares its batch.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "crypto/uuid7.hpp"
#include "store/postgres/token_batcher.hpp"
#include "support/test_database.hpp"

namespace tessera::test {
namespace {

using namespace std::chrono_literals;
using store::TokenRecord;
using store::postgres::TokenBatcher;

// A batch as large as the bench's 64 connections make them.
constexpr std::size_t kBatch = 64;

TokenRecord good_record() {
  const auto now = std::chrono::system_clock::now();
  TokenRecord record;
  record.tenant_id = domain::TenantId{1};
  record.id = crypto::uuid7(now);
  record.client_id = "good-client-0001";
  record.secret_id = domain::SecretId{1};
  record.api_id = domain::ApiId{1};
  record.scope = "read write";
  record.format = domain::TokenFormat::opaque;
  record.token_hash = std::string(32, 'h');
  record.issued_at = now;
  record.expires_at = now + 1h;
  return record;
}

// The batcher's answers, one slot per record in the order queued. done()
// runs on the batcher's thread, or at once inside record().
class Answers {
 public:
  explicit Answers(std::size_t count) : answers_(count) {}

  std::function<void(store::RecordResult)> slot(std::size_t index) {
    return [this, index](store::RecordResult result) {
      std::lock_guard lock(mutex_);
      answers_[index] = result == store::RecordResult::committed;
      changed_.notify_all();
    };
  }

  // One letter per record: c committed, f failed, ? not answered (yet).
  std::string so_far() {
    std::lock_guard lock(mutex_);
    return letters();
  }

  // As so_far(), once every record is answered (or 10 s have passed).
  std::string all() {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 10s, [this] {
      return std::all_of(answers_.begin(), answers_.end(),
                         [](const std::optional<bool>& a) { return a.has_value(); });
    });
    return letters();
  }

 private:
  std::string letters() const {
    std::string text;
    for (const auto& a : answers_) text += !a ? '?' : *a ? 'c' : 'f';
    return text;
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::optional<bool>> answers_;
};

// The ids of the tokens table, sorted as PostgreSQL sorts uuids (bytewise,
// so as their lower-case text), comma-separated.
std::string ids_in(const std::set<std::string>& ids) {
  std::string text;
  for (const auto& id : ids) text += (text.empty() ? "" : ",") + id;
  return text;
}

std::string stored_ids(const TestDatabase& db, const std::string& except) {
  return db.query_value("SELECT string_agg(id::text, ',' ORDER BY id) FROM tokens WHERE id <> '" +
                        except + "'");
}

TEST(TokenBatcherPgTest, ARecordPostgresRejectsFailsAloneAndTheRestOfItsBatchCommits) {
  struct Case {
    std::string name;
    std::set<std::size_t> poisoned;  // positions in the batch of 64
  };
  const std::vector<Case> cases = {
      {"the first record", {0}},
      {"a record in the middle", {37}},
      {"the last record", {63}},
      {"two records", {5, 50}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TestDatabase db;
    // A row already stored: a record reusing its (tenant_id, id) passes
    // every check before the INSERT, and PostgreSQL refuses it (23505).
    const auto seeded = good_record();
    const auto seeded_id = crypto::uuid_text(seeded.id);
    db.execute(
        "INSERT INTO tokens (tenant_id, id, client_id, api_id, scope, format, issued_at, "
        "expires_at) VALUES (1, '" +
        seeded_id +
        "', 'seeded-client-01', 1, '', 'opaque', "
        "now(), now() + interval '1 hour')");

    Answers answers(kBatch);
    TokenBatcher batcher(db.url(), {}, kBatch);
    batcher.hold();  // the 64 records go out as one batch
    std::string expected;
    std::set<std::string> good_ids;
    for (std::size_t i = 0; i < kBatch; ++i) {
      auto record = good_record();
      if (c.poisoned.count(i) != 0) {
        record.id = seeded.id;
        expected += 'f';
      } else {
        good_ids.insert(crypto::uuid_text(record.id));
        expected += 'c';
      }
      batcher.record(std::move(record), answers.slot(i));
    }
    EXPECT_EQ(answers.so_far(), std::string(kBatch, '?'));
    batcher.release();

    EXPECT_EQ(answers.all(), expected);
    EXPECT_EQ(stored_ids(db, seeded_id), ids_in(good_ids));
    EXPECT_EQ(db.query_value("SELECT client_id FROM tokens WHERE id = '" + seeded_id + "'"),
              "seeded-client-01");
  }
}

TEST(TokenBatcherPgTest, ARecordThatCouldNeverBeStoredFailsAtOnceAndIsNeverSent) {
  struct Case {
    std::string name;
    std::function<void(TokenRecord&)> spoil;
  };
  // What libpq or PostgreSQL would refuse: a NUL ends libpq's C string (and
  // so the array literal) early; invalid UTF-8 is no text in a UTF-8
  // database. Either would make the INSERT of the whole batch fail.
  const std::vector<Case> cases = {
      {"a NUL inside the client id",
       [](TokenRecord& r) { r.client_id = std::string("good-client\0-0001", 17); }},
      {"invalid UTF-8 in the client id",
       [](TokenRecord& r) { r.client_id = "good-client-\xff\xfe"; }},
      {"a NUL inside the scope", [](TokenRecord& r) { r.scope = std::string("read\0write", 10); }},
      {"invalid UTF-8 in the scope", [](TokenRecord& r) { r.scope = "read wr\xc3"; }},
  };
  constexpr std::size_t kRecords = 9;
  constexpr std::size_t kBad = 4;
  TestDatabase db;
  std::size_t stored = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Answers answers(kRecords);
    TokenBatcher batcher(db.url(), {}, kBatch);  // answers outlive it
    batcher.hold();
    for (std::size_t i = 0; i < kRecords; ++i) {
      auto record = good_record();
      if (i == kBad) c.spoil(record);
      batcher.record(std::move(record), answers.slot(i));
    }
    // Answered inside record(), before any batch could have been sent.
    EXPECT_EQ(answers.so_far(), "????f????");
    batcher.release();
    EXPECT_EQ(answers.all(), "ccccfcccc");
    stored += kRecords - 1;
    EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), std::to_string(stored));
  }
}

TEST(TokenBatcherPgTest, AFailureThatIsNotAboutTheDataFailsTheWholeBatch) {
  TestDatabase db;
  // The batcher's connection opens with its first batch, read-only: every
  // INSERT fails with 25006, whatever its rows, so no split could help.
  db.execute("ALTER DATABASE " + db.name() + " SET default_transaction_read_only = on");
  Answers answers(kBatch);
  TokenBatcher batcher(db.url(), {}, kBatch);
  batcher.hold();
  for (std::size_t i = 0; i < kBatch; ++i) batcher.record(good_record(), answers.slot(i));
  batcher.release();
  EXPECT_EQ(answers.all(), std::string(kBatch, 'f'));
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "0");
}

// SPEC §6: past TESSERA_QUEUE_LIMIT a record fails at once (its request is
// answered 503), instead of the queue growing without bound.
TEST(TokenBatcherPgTest, ARecordPastTheQueueLimitFailsAtOnceAndTheQueuedOnesCommit) {
  TestDatabase db;
  Answers answers(6);
  TokenBatcher batcher(db.url(), {4, 10s}, kBatch);
  batcher.hold();
  for (std::size_t i = 0; i < 6; ++i) batcher.record(good_record(), answers.slot(i));
  EXPECT_EQ(answers.so_far(), "????ff");
  batcher.release();
  EXPECT_EQ(answers.all(), "ccccff");
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "4");
}

// SPEC §6: queued work older than TESSERA_QUEUE_MAX_WAIT is answered 503
// rather than late, and its token is never written.
TEST(TokenBatcherPgTest, RecordsThatWaitedLongerThanMaxWaitFailAndAreNeverWritten) {
  TestDatabase db;
  Answers answers(3);
  TokenBatcher batcher(db.url(), {1024, 50ms}, kBatch);
  batcher.hold();
  for (std::size_t i = 0; i < 3; ++i) batcher.record(good_record(), answers.slot(i));
  std::this_thread::sleep_for(150ms);
  batcher.release();
  EXPECT_EQ(answers.all(), "fff");
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "0");
  // The batcher goes on: a fresh record commits.
  Answers fresh(1);
  batcher.record(good_record(), fresh.slot(0));
  EXPECT_EQ(fresh.all(), "c");
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "1");
}

TEST(TokenBatcherPgTest, RecordsQueuedBehindAStuckBatchFailWithinMaxWait) {
  TestDatabase db;
  TokenBatcher batcher(db.url(), {1024, 100ms}, kBatch);
  Answers first(1);
  batcher.record(good_record(), first.slot(0));
  ASSERT_EQ(first.all(), "c");  // connected and prepared
  // The table locked: the batch sent waits on the lock until it goes.
  pqxx::connection locker(db.url());
  pqxx::work lock(locker);
  lock.exec("LOCK TABLE tokens IN ACCESS EXCLUSIVE MODE");
  std::vector<std::promise<bool>> done(4);
  // One record at a time, so that the first is the batch in flight and the
  // others wait in the queue behind it (one batch in flight at a time).
  for (std::size_t i = 0; i < done.size(); ++i) {
    batcher.record(good_record(), [&done, i](store::RecordResult result) {
      done[i].set_value(result == store::RecordResult::committed);
    });
    std::this_thread::sleep_for(50ms);
  }
  std::vector<std::future<bool>> queued;
  for (std::size_t i = 1; i < done.size(); ++i) queued.push_back(done[i].get_future());
  bool answered = true;
  for (auto& f : queued) answered = answered && f.wait_for(2s) == std::future_status::ready;
  lock.abort();
  ASSERT_TRUE(answered) << "answered only when the batch in flight ended";
  for (auto& f : queued) EXPECT_FALSE(f.get());
  EXPECT_TRUE(done[0].get_future().get());
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "2");
}

TEST(TokenBatcherPgTest, AConnectionOpenedWhileTheTableIsLockedFailsInsteadOfWaitingForTheLock) {
  TestDatabase db;
  pqxx::connection locker(db.url());
  pqxx::work lock(locker);
  lock.exec("LOCK TABLE tokens IN ACCESS EXCLUSIVE MODE");
  TokenBatcher batcher(db.url(), {1024, 100ms}, kBatch);
  std::promise<bool> done;
  batcher.record(good_record(), [&done](store::RecordResult result) {
    done.set_value(result == store::RecordResult::committed);
  });
  auto answer = done.get_future();
  // Preparing the insert waits for the lock too, at most the lock timeout.
  const bool answered = answer.wait_for(10s) == std::future_status::ready;
  lock.abort();
  ASSERT_TRUE(answered) << "the batcher waits for the lock for as long as it is held";
  EXPECT_FALSE(answer.get());
  // Once the lock is gone, the next record commits.
  Answers fresh(1);
  batcher.record(good_record(), fresh.slot(0));
  EXPECT_EQ(fresh.all(), "c");
}

// The server's workers hand records over from several threads at once,
// while the batcher's thread sends and completes batches: each record is
// answered once, and each is stored. (tsan_tests runs this file under
// ThreadSanitizer.)
TEST(TokenBatcherPgTest, RecordsFromManyThreadsAtOnceAreEachAnsweredAndStored) {
  constexpr std::size_t kThreads = 4;
  constexpr std::size_t kEach = 100;
  TestDatabase db;
  Answers answers(kThreads * kEach);
  {
    TokenBatcher batcher(db.url(), {}, kBatch);
    std::vector<std::thread> workers;
    for (std::size_t t = 0; t < kThreads; ++t) {
      workers.emplace_back([&, t] {
        for (std::size_t i = 0; i < kEach; ++i) {
          batcher.record(good_record(), answers.slot(t * kEach + i));
          if (i % 25 == 0) std::this_thread::yield();
        }
      });
    }
    for (auto& worker : workers) worker.join();
    EXPECT_EQ(answers.all(), std::string(kThreads * kEach, 'c'));
  }
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), std::to_string(kThreads * kEach));
}

}  // namespace
}  // namespace tessera::test
