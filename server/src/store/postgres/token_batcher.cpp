#include "store/postgres/token_batcher.hpp"

#include <pqxx/pqxx>

#include "domain/time.hpp"
#include "log/log.hpp"
#include "store/postgres/pool.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

constexpr const char* kStatement = "insert_tokens";

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

}  // namespace

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

TokenBatcher::TokenBatcher(std::string database_url, unsigned connections, std::size_t max_batch)
    : database_url_(std::move(database_url)),
      max_batch_(max_batch),
      connections_(connections == 0 ? 1 : connections) {
  for (auto& connection : connections_) {
    threads_.emplace_back([this, &connection] { run(connection); });
  }
}

TokenBatcher::~TokenBatcher() { stop(); }

void TokenBatcher::record(TokenRecord record, std::function<void(bool)> done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back({std::move(record), std::move(done)});
      ready_.notify_one();
      return;
    }
  }
  done(false);
}

void TokenBatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void TokenBatcher::run(std::unique_ptr<pqxx::connection>& connection) {
  std::vector<Item> batch;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything committed
      if (queue_.size() <= max_batch_) {
        batch.swap(queue_);
      } else {
        batch.assign(std::make_move_iterator(queue_.begin()),
                     std::make_move_iterator(queue_.begin() + static_cast<long>(max_batch_)));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(max_batch_));
      }
    }
    const auto started = std::chrono::steady_clock::now();
    const bool committed = insert(connection, batch);
    const auto inserted = std::chrono::steady_clock::now();
    for (auto& item : batch) item.done(committed);
    if (log::debug_enabled()) {
      using us = std::chrono::microseconds;
      log::debug("token batch", {{"rows", batch.size()},
                                 {"insert_us", std::chrono::duration_cast<us>(inserted - started).count()},
                                 {"complete_us", std::chrono::duration_cast<us>(
                                                     std::chrono::steady_clock::now() - inserted).count()}});
    }
    batch.clear();
  }
}

bool TokenBatcher::insert(std::unique_ptr<pqxx::connection>& connection,
                          const std::vector<Item>& batch) {
  std::vector<const TokenRecord*> records;
  records.reserve(batch.size());
  for (const auto& item : batch) records.push_back(&item.record);
  const TokenArrays a = token_arrays(records);
  try {
    if (!connection) {
      connection = connect(database_url_);
      connection->prepare(kStatement, sql::kInsertTokens);
    }
    pqxx::nontransaction tx(*connection);
    tx.exec_prepared(kStatement, a.tenant_ids, a.ids, a.client_ids, a.secret_ids, a.api_ids,
                     a.scopes, a.formats, a.hashes, a.issued_at, a.expires_at);
    return true;
  } catch (const std::exception& e) {
    // Whatever failed, this connection is suspect (broken, or in doubt about
    // a commit): the next batch opens a new one.
    log::error("token batch not recorded", {{"rows", batch.size()}, {"error", e.what()}});
    connection.reset();
    return false;
  }
}

}  // namespace tessera::store::postgres
