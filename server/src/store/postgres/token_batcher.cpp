#include "store/postgres/token_batcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <system_error>

#include "domain/time.hpp"
#include "log/log.hpp"
#include "metrics/probes.hpp"
#include "store/postgres/pipelined_connection.hpp"
#include "store/postgres/sql.hpp"
#include "store/postgres/token_rows.hpp"

namespace tessera::store::postgres {
namespace {

constexpr const char* kStatement = "insert_tokens";

// One batch at a time: the next batch is taken only once the one in flight
// has committed, so it holds everything that arrived during that commit.
// With two in flight (the next sent as soon as anything was queued) the
// second batch took whatever had arrived since the first was sent: batches
// of ~19 rows instead of ~32, more WAL flushes for the same tokens, and
// 0.885 × the groupcommit yardstick's issuance against 0.985 × with one
// (medians over 26 rounds, docs/performance.md, "One batch in flight").
constexpr std::size_t kMaxInFlight = 1;

// A batch unanswered this long means PostgreSQL is unreachable without the
// connection saying so (SPEC §6: 503 within 5 seconds, no hang).
constexpr auto kCommitLimit = std::chrono::seconds(4);

}  // namespace

TokenBatcher::TokenBatcher(std::string database_url, Limits limits, std::size_t max_batch)
    : database_url_(std::move(database_url)), limits_(limits), max_batch_(max_batch) {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  thread_ = std::thread([this] { run(); });
}

TokenBatcher::~TokenBatcher() {
  stop();
  close(wake_fd_);
}

void TokenBatcher::record(TokenRecord record, std::function<void(RecordResult)> done) {
  if (const auto reason = why_unstorable(record)) {
    // In a batch it would fail every record with it (a NUL even cuts the
    // array literal short), so it fails alone, now. Its values failed
    // validation and are not safe in a log line: only the reason is.
    log::warn("token record refused", {{"reason", std::string(*reason)}});
    return done(RecordResult::failed);
  }
  bool queued = false;
  bool wake_poll = false;
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < limits_.queue_limit) {
      queue_.push_back({std::move(record), std::move(done), std::chrono::steady_clock::now()});
      queued = true;
      wake_poll = std::exchange(poll_wants_wake_, false);
      ready_.notify_one();
    }
  }
  if (!queued) return done(RecordResult::failed);
  if (wake_poll) {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = write(wake_fd_, &one, sizeof one);
  }
}

void TokenBatcher::hold() {
  std::lock_guard lock(mutex_);
  held_ = true;
}

void TokenBatcher::release() {
  bool wake_poll = false;
  {
    std::lock_guard lock(mutex_);
    held_ = false;
    wake_poll = std::exchange(poll_wants_wake_, false);
  }
  ready_.notify_all();
  if (wake_poll) {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = write(wake_fd_, &one, sizeof one);
  }
}

void TokenBatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    held_ = false;  // "commits what is queued" holds for a held queue too
  }
  ready_.notify_all();
  const std::uint64_t one = 1;
  [[maybe_unused]] auto written = write(wake_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
}

void TokenBatcher::run() {
  Batch batch;
  while (true) {
    if (in_flight_.size() < kMaxInFlight) {
      if (!next_batch(batch, in_flight_.empty())) return;
      if (!batch.empty()) {
        send(std::move(batch));
        batch = Batch();
        continue;
      }
      // Every record taken was stale: nothing went out, nothing to wait for.
      if (in_flight_.empty()) continue;
    }
    wait_for_progress();
  }
}

bool TokenBatcher::next_batch(Batch& batch, bool may_wait) {
  if (!halves_.empty()) {
    batch = std::move(halves_.front());
    halves_.pop_front();
    return true;
  }
  Batch stale;
  {
    std::unique_lock lock(mutex_);
    if (may_wait) ready_.wait(lock, [this] { return stopping_ || has_new_work(); });
    if (!has_new_work()) return !(stopping_ && in_flight_.empty());
    stale = take_stale();
    const auto take = std::min(queue_.size(), max_batch_);
    if (take == queue_.size()) {
      batch.swap(queue_);
    } else {
      batch.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + static_cast<long>(take)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(take));
    }
  }
  fail_stale(stale);
  return true;
}

TokenBatcher::Batch TokenBatcher::take_stale() {
  // Records wait in order, so the stale ones are at the front.
  const auto too_old = std::chrono::steady_clock::now() - limits_.max_wait;
  auto fresh = queue_.begin();
  while (fresh != queue_.end() && fresh->queued_at < too_old) ++fresh;
  Batch stale(std::make_move_iterator(queue_.begin()), std::make_move_iterator(fresh));
  queue_.erase(queue_.begin(), fresh);
  return stale;
}

void TokenBatcher::fail_stale(Batch& stale) {
  if (stale.empty()) return;
  log::warn("token records waited too long for a batch", {{"rows", stale.size()}});
  for (auto& item : stale) item.done(RecordResult::failed);
}

void TokenBatcher::send(Batch batch) {
  std::vector<const TokenRecord*> records;
  records.reserve(batch.size());
  for (const auto& item : batch) records.push_back(&item.record);
  TokenArrays a = token_arrays(records);
  try {
    if (!connection_) {
      connection_ = std::make_unique<PipelinedConnection>(
          database_url_, kStatement, sql::kInsertTokens, 16,
          std::chrono::duration_cast<std::chrono::milliseconds>(kCommitLimit));
    }
    connection_->send(
        {std::move(a.tenant_ids), std::move(a.ids), std::move(a.client_ids),
         std::move(a.secret_ids), std::move(a.api_ids), std::move(a.scopes), std::move(a.formats),
         std::move(a.hashes), std::move(a.issued_at), std::move(a.expires_at),
         std::move(a.master_keys), std::move(a.assertion_jtis), std::move(a.assertion_expiries),
         std::move(a.dpop_jkts), std::move(a.proof_jtis), std::move(a.proof_expiries)});
    metrics::token_batch_sent(batch.size());
    in_flight_.push_back(std::move(batch));
    sent_at_.push_back(std::chrono::steady_clock::now());
  } catch (const std::exception& e) {
    // Whatever failed, this connection is suspect (broken, or in doubt about
    // a commit): what is in flight fails with it, the next batch opens a
    // new one.
    log::error("token batch not recorded", {{"rows", batch.size()}, {"error", e.what()}});
    for (auto& item : batch) item.done(RecordResult::failed);
    metrics::token_batches_failed(1);
    fail_in_flight();
  }
}

void TokenBatcher::wait_for_progress() {
  pollfd fds[2] = {{connection_->socket(), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  nfds_t count = 1;
  {
    std::lock_guard lock(mutex_);
    if (in_flight_.size() < kMaxInFlight) {
      if (has_new_work() || !halves_.empty()) return;  // room and work: send it first
      poll_wants_wake_ = true;
      count = 2;
    }
  }
  const int ready = poll(fds, count, 200);
  Batch stale;
  {
    std::lock_guard lock(mutex_);
    poll_wants_wake_ = false;
    // While the batches in flight are slow, what waits behind them is
    // answered once it is too old, not when they end.
    stale = take_stale();
  }
  fail_stale(stale);
  if (count == 2 && (fds[1].revents & POLLIN) != 0) {
    std::uint64_t drained = 0;
    [[maybe_unused]] auto read_bytes = read(wake_fd_, &drained, sizeof drained);
  }
  try {
    if (ready > 0 && fds[0].revents != 0) {
      for (const auto& completed : connection_->read_completed()) {
        Batch batch = std::move(in_flight_.front());
        const std::chrono::duration<double> took =
            std::chrono::steady_clock::now() - sent_at_.front();
        in_flight_.pop_front();
        sent_at_.pop_front();
        // A batch rejected for its data is sent again in halves: only a
        // refusal of its tokens counts as failed (finish).
        metrics::token_batch_finished(took.count());
        finish(std::move(batch), completed);
      }
    }
    if (!sent_at_.empty() && std::chrono::steady_clock::now() - sent_at_.front() > kCommitLimit) {
      throw std::runtime_error("no answer from PostgreSQL");
    }
  } catch (const std::exception& e) {
    log::error("token batches not recorded", {{"batches", in_flight_.size()}, {"error", e.what()}});
    fail_in_flight();
  }
}

void TokenBatcher::finish(Batch batch, const CompletedStatement& completed) {
  const auto rows = batch.size();
  if (log::debug_enabled()) {
    log::debug("token batch", {{"rows", rows},
                               {"committed", completed.outcome == StatementOutcome::committed},
                               {"in_flight", in_flight_.size()}});
  }
  switch (completed.outcome) {
    case StatementOutcome::committed:
      for (auto& item : batch) item.done(RecordResult::committed);
      return;
    case StatementOutcome::rejected_for_data:
      if (rows > 1) {
        // Some row is at fault, not the batch: halving finds it in log2(rows)
        // rounds, and every other row commits on the way (SPEC §6).
        const auto middle = batch.begin() + static_cast<long>(rows / 2);
        halves_.emplace_back(std::make_move_iterator(batch.begin()),
                             std::make_move_iterator(middle));
        halves_.emplace_back(std::make_move_iterator(middle), std::make_move_iterator(batch.end()));
        log::debug("token batch rejected for its data; sending it again in halves",
                   {{"rows", rows}, {"error", completed.error}});
        return;
      }
      // RFC 7523 §3: the client assertion that obtained it had been used
      // before (client_assertion_jtis' primary key), on some instance.
      if (completed.error.find("client_assertion_jtis_pkey") != std::string::npos) {
        log::info("client assertion replayed; token not issued");
        for (auto& item : batch) item.done(RecordResult::replayed_assertion);
        return;
      }
      // RFC 9449 §11.1: the same for the DPoP proof (dpop_proof_jtis).
      if (completed.error.find("dpop_proof_jtis_pkey") != std::string::npos) {
        log::info("DPoP proof replayed; token not issued");
        for (auto& item : batch) item.done(RecordResult::replayed_dpop_proof);
        return;
      }
      log::error("token record rejected", {{"error", completed.error}});
      break;
    case StatementOutcome::failed:
      log::error("token batch rejected", {{"rows", rows}, {"error", completed.error}});
      break;
  }
  metrics::token_batches_failed(1);
  for (auto& item : batch) item.done(RecordResult::failed);
}

void TokenBatcher::fail_in_flight() {
  metrics::token_batches_failed(in_flight_.size());
  for (auto& batch : in_flight_) {
    for (auto& item : batch) item.done(RecordResult::failed);
  }
  in_flight_.clear();
  sent_at_.clear();
  connection_.reset();
}

}  // namespace tessera::store::postgres
