#include "store/postgres/token_batcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <system_error>

#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "log/log.hpp"
#include "store/postgres/pipelined_connection.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

constexpr const char* kStatement = "insert_tokens";

// One batch committing and one queued behind it on the connection: enough
// to keep the server busy; more would only split the queue into smaller
// batches.
constexpr std::size_t kMaxInFlight = 2;

// A batch unanswered this long means PostgreSQL is unreachable without the
// connection saying so (SPEC §6: 503 within 5 seconds, no hang).
constexpr auto kCommitLimit = std::chrono::seconds(4);

// crypto::keyed_hash's size (BLAKE2b-256).
constexpr std::size_t kTokenHashBytes = 32;

void open_array(std::string& array) { array += array.empty() ? "{" : ","; }

// Array elements that never need quoting: numbers and UUIDs.
void append_plain(std::string& array, const std::string& value) {
  open_array(array);
  array += value;
}

// Quoted element: client ids ([A-Za-z0-9_-]) and scope lists (scope
// characters and spaces) hold no quote or backslash, but escape anyway.
void append_quoted(std::string& array, const std::string& value) {
  open_array(array);
  array += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') array += '\\';
    array += c;
  }
  array += '"';
}

void append_bytea(std::string& array, const std::string& bytes) {
  open_array(array);
  if (bytes.empty()) {
    array += "NULL";
    return;
  }
  static const char* hex = "0123456789abcdef";
  array += "\"\\\\x";  // the element \x…, its backslash escaped in the array literal
  for (unsigned char b : bytes) {
    array += hex[b >> 4];
    array += hex[b & 0xf];
  }
  array += '"';
}

void close_array(std::string& array) { array += array.empty() ? "{}" : "}"; }

// Scope values separated by single spaces, as domain::join_scopes writes
// them, or nothing (a grant without scopes).
bool is_scope_list(std::string_view scope) {
  if (scope.empty()) return true;
  while (true) {
    const auto space = scope.find(' ');
    if (!domain::is_valid_scope_value(scope.substr(0, space))) return false;
    if (space == std::string_view::npos) return true;
    scope.remove_prefix(space + 1);
  }
}

}  // namespace

std::optional<std::string_view> why_unstorable(const TokenRecord& record) {
  if (!domain::is_possible_client_id(record.client_id)) return "client_id is not a possible one";
  if (!is_scope_list(record.scope)) return "scope is not scope values separated by single spaces";
  if (!record.token_hash.empty() && record.token_hash.size() != kTokenHashBytes) {
    return "token_hash is neither empty nor 32 bytes";
  }
  return std::nullopt;
}

TokenArrays token_arrays(const std::vector<const TokenRecord*>& records) {
  TokenArrays a;
  for (const auto* r : records) {
    append_plain(a.tenant_ids, std::to_string(r->tenant_id.value));
    append_plain(a.ids, crypto::uuid_text(r->id));
    append_quoted(a.client_ids, r->client_id);
    append_plain(a.secret_ids, std::to_string(r->secret_id.value));
    append_plain(a.api_ids, std::to_string(r->api_id.value));
    append_quoted(a.scopes, r->scope);
    append_plain(a.formats, domain::to_string(r->format));
    append_bytea(a.hashes, r->token_hash);
    append_plain(a.issued_at, std::to_string(domain::to_unix_micros(r->issued_at)));
    append_plain(a.expires_at, std::to_string(domain::to_unix_micros(r->expires_at)));
  }
  for (auto* array : {&a.tenant_ids, &a.ids, &a.client_ids, &a.secret_ids, &a.api_ids, &a.scopes,
                      &a.formats, &a.hashes, &a.issued_at, &a.expires_at}) {
    close_array(*array);
  }
  return a;
}

TokenBatcher::TokenBatcher(std::string database_url, std::size_t max_batch)
    : database_url_(std::move(database_url)), max_batch_(max_batch) {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  thread_ = std::thread([this] { run(); });
}

TokenBatcher::~TokenBatcher() {
  stop();
  close(wake_fd_);
}

void TokenBatcher::record(TokenRecord record, std::function<void(bool)> done) {
  if (const auto reason = why_unstorable(record)) {
    // In a batch it would fail every record with it (a NUL even cuts the
    // array literal short), so it fails alone, now. Its values failed
    // validation and are not safe in a log line: only the reason is.
    log::warn("token record refused", {{"reason", std::string(*reason)}});
    return done(false);
  }
  bool queued = false;
  bool wake_poll = false;
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back({std::move(record), std::move(done)});
      queued = true;
      wake_poll = std::exchange(poll_wants_wake_, false);
      ready_.notify_one();
    }
  }
  if (!queued) return done(false);
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
  std::unique_lock lock(mutex_);
  if (may_wait) ready_.wait(lock, [this] { return stopping_ || has_new_work(); });
  if (!has_new_work()) return !(stopping_ && in_flight_.empty());
  if (queue_.size() <= max_batch_) {
    batch.swap(queue_);
  } else {
    batch.assign(std::make_move_iterator(queue_.begin()),
                 std::make_move_iterator(queue_.begin() + static_cast<long>(max_batch_)));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(max_batch_));
  }
  return true;
}

void TokenBatcher::send(Batch batch) {
  std::vector<const TokenRecord*> records;
  records.reserve(batch.size());
  for (const auto& item : batch) records.push_back(&item.record);
  TokenArrays a = token_arrays(records);
  try {
    if (!connection_) {
      connection_ = std::make_unique<PipelinedConnection>(database_url_, kStatement,
                                                          sql::kInsertTokens, 10);
    }
    connection_->send({std::move(a.tenant_ids), std::move(a.ids), std::move(a.client_ids),
                       std::move(a.secret_ids), std::move(a.api_ids), std::move(a.scopes),
                       std::move(a.formats), std::move(a.hashes), std::move(a.issued_at),
                       std::move(a.expires_at)});
    in_flight_.push_back(std::move(batch));
    sent_at_.push_back(std::chrono::steady_clock::now());
  } catch (const std::exception& e) {
    // Whatever failed, this connection is suspect (broken, or in doubt about
    // a commit): what is in flight fails with it, the next batch opens a
    // new one.
    log::error("token batch not recorded", {{"rows", batch.size()}, {"error", e.what()}});
    for (auto& item : batch) item.done(false);
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
  {
    std::lock_guard lock(mutex_);
    poll_wants_wake_ = false;
  }
  if (count == 2 && (fds[1].revents & POLLIN) != 0) {
    std::uint64_t drained = 0;
    [[maybe_unused]] auto read_bytes = read(wake_fd_, &drained, sizeof drained);
  }
  try {
    if (ready > 0 && fds[0].revents != 0) {
      for (const auto& completed : connection_->read_completed()) {
        Batch batch = std::move(in_flight_.front());
        in_flight_.pop_front();
        sent_at_.pop_front();
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
      for (auto& item : batch) item.done(true);
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
      log::error("token record rejected", {{"error", completed.error}});
      break;
    case StatementOutcome::failed:
      log::error("token batch rejected", {{"rows", rows}, {"error", completed.error}});
      break;
  }
  for (auto& item : batch) item.done(false);
}

void TokenBatcher::fail_in_flight() {
  for (auto& batch : in_flight_) {
    for (auto& item : batch) item.done(false);
  }
  in_flight_.clear();
  sent_at_.clear();
  connection_.reset();
}

}  // namespace tessera::store::postgres
