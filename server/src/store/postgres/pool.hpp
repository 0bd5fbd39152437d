#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <string>
#include <type_traits>
#include <vector>

#include "store/database_state.hpp"

namespace tessera::store::postgres {

// A fixed-size pool of PostgreSQL connections (TESSERA_DB_POOL). Connections
// open lazily and are dropped when they break; the next lease reconnects.
// libpqxx 6.4 would silently reconnect a broken connection object by itself,
// a deprecated behaviour, so a broken connection is destroyed instead.
// An open connection with the notice handler that logs its NOTICEs.
// pqxx::connection has no virtual destructor, so the deleter deletes the
// object as the type it was made as (store/postgres/pool.cpp).
struct ConnectionDeleter {
  void operator()(pqxx::connection* connection) const noexcept;
};
using ConnectionPtr = std::unique_ptr<pqxx::connection, ConnectionDeleter>;

class Pool {
 public:
  // `state`, when given, hears of every call that reached the database and
  // of every connection lost or refused (/readyz).
  Pool(std::string database_url, unsigned size,
       std::chrono::milliseconds wait_limit = std::chrono::seconds(4),
       DatabaseState* state = nullptr);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  class Lease {
   public:
    Lease(Pool& pool, ConnectionPtr connection);
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& operator*() { return *connection_; }
    pqxx::connection* operator->() { return connection_.get(); }
    // The connection is broken: close it instead of returning it.
    void discard() { connection_.reset(); }

   private:
    Pool* pool_;
    ConnectionPtr connection_;
  };

  // Waits up to the wait limit for a free connection; throws store::Unavailable
  // if none frees up or the database cannot be reached.
  Lease acquire();

  // Runs `work(connection)`; a broken connection is discarded and reported as
  // store::Unavailable, so the caller can answer 503.
  template <typename Work>
  auto run(Work&& work) {
    Lease lease = acquire();
    try {
      if constexpr (std::is_void_v<decltype(work(*lease))>) {
        work(*lease);
        record(true);
      } else {
        auto result = work(*lease);
        record(true);
        return result;
      }
    } catch (...) {
      if (!lease->is_open()) lease.discard();
      translate_current_exception(lease);
      throw;
    }
  }

  const std::string& url() const { return url_; }

 private:
  void give_back(ConnectionPtr connection);
  void translate_current_exception(Lease& lease);
  void record(bool reachable) {
    if (state_ != nullptr) state_->record(reachable);
  }

  std::string url_;
  unsigned size_;
  std::chrono::milliseconds wait_limit_;
  DatabaseState* state_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<ConnectionPtr> idle_;
  unsigned open_ = 0;  // leased + idle
};

// Adds connect_timeout to a libpq connection string (URL or key=value form)
// unless it sets one, so an unreachable server fails fast instead of hanging.
std::string with_connect_timeout(const std::string& url, int seconds);

// Adds `key=value` to a libpq connection string (URL or key=value form)
// unless it already names `key`. `value` must need no quoting or escaping.
std::string with_setting(const std::string& url, const std::string& key, const std::string& value);

// Opens one connection outside any pool (commands such as `migrate`).
ConnectionPtr connect(const std::string& url);

}  // namespace tessera::store::postgres
