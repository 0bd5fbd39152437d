#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {

// Keeps the weekly token partitions created ahead of time while the server
// runs (migrations/0001_init.sql), so inserts never fall into the default
// partition however long the server stays up.
class PartitionKeeper {
 public:
  explicit PartitionKeeper(Pool& pool, std::chrono::hours interval = std::chrono::hours(6));
  ~PartitionKeeper();
  PartitionKeeper(const PartitionKeeper&) = delete;
  PartitionKeeper& operator=(const PartitionKeeper&) = delete;

 private:
  void run();

  Pool& pool_;
  const std::chrono::hours interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tessera::store::postgres
