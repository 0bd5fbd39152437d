#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/client_credentials_store.hpp"

namespace tessera::store::postgres {

class PipelinedConnection;
struct CompletedStatement;

// Group commit (notes/group-commit-measurements.md): token records queue up
// while earlier batches commit, then go in as one INSERT … SELECT FROM
// unnest(…) per batch, each its own transaction, on a connection of the
// batcher's own. Each request is completed after its batch committed.
// Batches form by themselves under load; an idle server commits a lone
// record at once (no timer adds latency).
//
// One request's record never fails the others of its batch (SPEC §6): a
// record that could never be stored fails at once and is never queued, and
// a batch that PostgreSQL rejects for its data (a duplicate key, a value out
// of range) is sent again in halves, ahead of newer records, until only the
// guilty record's request fails. A batch that fails for any other reason
// (the connection, the server) fails exactly its requests.
//
// The connection is in libpq's pipeline mode, so that a batch goes out as
// one write (statement and Sync, autocommitted) and the thread can wait on
// its socket, but only one batch is in flight at a time (kMaxInFlight):
// the next batch is taken when the previous one has committed, so it holds
// everything that arrived meanwhile. Sending the next batch while one
// commits looked like it would hide the commit round trip, but measured
// it split the load into smaller batches and more WAL flushes and issued
// fewer tokens (docs/performance.md, "One batch in flight").
//
// The queue is bounded (SPEC §6, TESSERA_QUEUE_LIMIT): a record that finds
// `queue_limit` records waiting fails at once, and a record that waited
// longer than `max_wait` for a batch fails instead of being written late;
// either way its request is answered 503 and no token is handed out.
class TokenBatcher : public TokenRecorder {
 public:
  struct Limits {
    std::size_t queue_limit = 1024;
    std::chrono::milliseconds max_wait{5000};
  };

  TokenBatcher(std::string database_url, Limits limits, std::size_t max_batch = 512);
  ~TokenBatcher() override;
  TokenBatcher(const TokenBatcher&) = delete;
  TokenBatcher& operator=(const TokenBatcher&) = delete;

  void record(TokenRecord record, std::function<void(RecordResult)> done) override;

  // Commits what is queued, then stops the thread; later records fail.
  void stop();

  // For tests: while held, records queue up but no new batch is taken from
  // them, so that release() hands everything queued to the next batch at
  // once (up to max_batch). Batches form by timing otherwise, and a test of
  // what a batch does with one bad record must know what shared its batch.
  // stop() releases too.
  void hold();
  void release();

 private:
  struct Item {
    TokenRecord record;
    std::function<void(RecordResult)> done;
    std::chrono::steady_clock::time_point queued_at;
  };
  using Batch = std::vector<Item>;

  void run();
  // Takes the next batch (the halves of a rejected one before new records),
  // or waits for one while nothing is in flight. False once stopping with
  // nothing left to do.
  bool next_batch(Batch& batch, bool may_wait);
  // Takes the records that waited longer than max_wait (mutex_ held); then
  // fail_stale answers them, without the lock.
  Batch take_stale();
  static void fail_stale(Batch& stale);
  // Whether the queue holds records that the thread may take (mutex_ held).
  bool has_new_work() const { return !held_ && !queue_.empty(); }
  void send(Batch batch);
  void wait_for_progress();
  void finish(Batch batch, const CompletedStatement& completed);
  void fail_in_flight();

  const std::string database_url_;
  const Limits limits_;
  const std::size_t max_batch_;

  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<Item> queue_;
  bool stopping_ = false;
  bool held_ = false;
  // Set while run() sleeps in poll() and could send another batch: the
  // next record() wakes it through wake_fd_ (an eventfd).
  bool poll_wants_wake_ = false;
  int wake_fd_ = -1;

  // Owned by the batcher thread.
  std::unique_ptr<PipelinedConnection> connection_;
  std::deque<Batch> in_flight_;
  std::deque<std::chrono::steady_clock::time_point> sent_at_;
  // Halves of batches rejected for their data, sent before new records.
  std::deque<Batch> halves_;

  std::thread thread_;
};

}  // namespace tessera::store::postgres
