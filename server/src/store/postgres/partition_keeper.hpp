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
// Every instance keeps a keeper; a round runs on one instance at a time
// (a PostgreSQL advisory lock), the others skip theirs. Every minute it
// also forgets the jtis of expired client assertions and DPoP proofs
// (client_assertion_jtis, dpop_proof_jtis).
class PartitionKeeper {
 public:
  // Rounds run a minute after start, then every `interval`.
  PartitionKeeper(Pool& pool, std::chrono::seconds retention,
                  std::chrono::seconds interval = std::chrono::hours(6));
  ~PartitionKeeper();
  PartitionKeeper(const PartitionKeeper&) = delete;
  PartitionKeeper& operator=(const PartitionKeeper&) = delete;

  // One round, at once (exposed for tests). `ran` is false when another
  // instance's round holds the lock; the counts are -1 for a step that failed.
  struct Round {
    bool ran = false;
    int created = 0;
    int dropped = 0;
  };
  Round keep();
  // Deletes the jtis of expired client assertions and DPoP proofs (every
  // minute); how many,
  // or -1 when it failed (exposed for tests).
  long purge_used_jtis();

 private:
  void run();

  Pool& pool_;
  const std::chrono::seconds retention_;
  const std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tessera::store::postgres
