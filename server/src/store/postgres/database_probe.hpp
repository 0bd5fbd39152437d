#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "store/database_state.hpp"

namespace tessera::store::postgres {

// Asks PostgreSQL `SELECT 1` every `interval` on a connection of its own and
// records the answer in `state`, so /readyz follows the database even when
// no request touches it. Its own connection, because a pool whose every
// connection is busy says nothing about whether the database answers.
class DatabaseProbe {
 public:
  DatabaseProbe(std::string database_url, DatabaseState& state,
                std::chrono::milliseconds interval = std::chrono::seconds(1));
  ~DatabaseProbe();
  DatabaseProbe(const DatabaseProbe&) = delete;
  DatabaseProbe& operator=(const DatabaseProbe&) = delete;

 private:
  void run();

  const std::string database_url_;
  DatabaseState& state_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tessera::store::postgres
