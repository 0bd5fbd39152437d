#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {

// Keeps the weekly token partitions: created ahead of time while the server
// runs (migrations/0001_init.sql), so inserts never fall into the default
// partition however long the server stays up, and dropped whole once their
// records expired more than TESSERA_TOKEN_RETENTION ago (0002_token_purge.sql).
class PartitionKeeper {
 public:
  // Rounds run a minute after start, then every `interval`.
  PartitionKeeper(Pool& pool, std::chrono::seconds retention,
                  std::chrono::seconds interval = std::chrono::hours(6));
  ~PartitionKeeper();
  PartitionKeeper(const PartitionKeeper&) = delete;
  PartitionKeeper& operator=(const PartitionKeeper&) = delete;

 private:
  void run();
  void keep();

  Pool& pool_;
  const std::chrono::seconds retention_;
  const std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tessera::store::postgres
