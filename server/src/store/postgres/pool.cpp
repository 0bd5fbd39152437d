#include "store/postgres/pool.hpp"

#include <pqxx/pqxx>

#include "log/log.hpp"
#include "metrics/probes.hpp"
#include "store/errors.hpp"

namespace tessera::store::postgres {
namespace {

// Server NOTICEs go to the logger, not straight to stderr (JSON logs stay
// one object per line).
class NoticeToLog : public pqxx::errorhandler {
 public:
  using pqxx::errorhandler::errorhandler;
  bool operator()(const char message[]) noexcept override {
    std::string text(message);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    log::debug("postgres notice", {{"text", text}});
    return false;
  }
};

struct LoggedConnection : pqxx::connection {
  explicit LoggedConnection(const std::string& url) : pqxx::connection(url), notices(*this) {}
  NoticeToLog notices;
};

}  // namespace

void ConnectionDeleter::operator()(pqxx::connection* connection) const noexcept {
  delete static_cast<LoggedConnection*>(connection);  // every one is made by connect()
}

std::string with_setting(const std::string& url, const std::string& key, const std::string& value) {
  if (url.find(key) != std::string::npos) return url;
  const std::string setting = key + "=" + value;
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + setting;
  }
  return url + " " + setting;
}

std::string with_connect_timeout(const std::string& url, int seconds) {
  return with_setting(url, "connect_timeout", std::to_string(seconds));
}

ConnectionPtr connect(const std::string& url) {
  try {
    return ConnectionPtr(new LoggedConnection(with_connect_timeout(url, 3)));
  } catch (const pqxx::broken_connection& e) {
    throw store::Unavailable(std::string("cannot connect to PostgreSQL: ") + e.what());
  }
}

Pool::Pool(std::string database_url, unsigned size, std::chrono::milliseconds wait_limit,
           DatabaseState* state)
    : url_(std::move(database_url)),
      size_(size == 0 ? 1 : size),
      wait_limit_(wait_limit),
      state_(state) {
  metrics::pool_opened(size_);
}

Pool::~Pool() {
  metrics::pool_closed(size_);
}

Pool::Lease::Lease(Pool& pool, ConnectionPtr connection)
    : pool_(&pool), connection_(std::move(connection)) {
  metrics::pool_lease_taken();
}

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)) {
  other.pool_ = nullptr;
}

Pool::Lease::~Lease() {
  if (pool_ == nullptr) return;
  metrics::pool_lease_returned();
  pool_->give_back(std::move(connection_));
}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mutex_);
  const auto free = [this] { return !idle_.empty() || open_ < size_; };
  if (free()) {
    metrics::pool_waited(0);
  } else {
    const auto began = std::chrono::steady_clock::now();
    metrics::pool_wait_began();
    const bool got = available_.wait_for(lock, wait_limit_, free);
    metrics::pool_wait_ended();
    metrics::pool_waited(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
    if (!got) throw store::Unavailable("no database connection became free in time");
  }
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  ++open_;  // reserve the slot, then connect without holding the lock
  lock.unlock();
  try {
    return Lease(*this, connect(url_));
  } catch (...) {
    give_back(nullptr);
    record(false);
    throw;
  }
}

void Pool::give_back(ConnectionPtr connection) {
  {
    std::lock_guard lock(mutex_);
    if (connection && connection->is_open()) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  available_.notify_one();
}

void Pool::translate_current_exception(Lease& lease) {
  try {
    throw;
  } catch (const pqxx::broken_connection& e) {
    lease.discard();
    record(false);
    throw store::Unavailable(std::string("database connection lost: ") + e.what());
  } catch (const pqxx::in_doubt_error& e) {
    // Thrown when a commit lost its connection, even when the transaction
    // certainly aborted: the connection is unusable either way.
    lease.discard();
    record(false);
    throw store::Unavailable(std::string("database connection lost during commit: ") + e.what());
  } catch (...) {
    // Anything else is the caller's to handle; run() rethrows it unchanged.
  }
}

}  // namespace tessera::store::postgres
