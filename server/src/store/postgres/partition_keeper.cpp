#include "store/postgres/partition_keeper.hpp"

#include <algorithm>
#include <pqxx/pqxx>

#include "domain/validation.hpp"
#include "log/log.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {

PartitionKeeper::PartitionKeeper(Pool& pool, std::chrono::seconds retention,
                                 std::chrono::seconds interval)
    : pool_(pool), retention_(retention), interval_(interval) {
  thread_ = std::thread([this] { run(); });
}

PartitionKeeper::~PartitionKeeper() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void PartitionKeeper::run() {
  std::unique_lock lock(mutex_);
  // The first round waits a minute: starting stays quick, and a server that
  // starts and stops at once does no maintenance.
  const auto tick = std::min<std::chrono::seconds>(std::chrono::minutes(1), interval_);
  auto next_round = std::chrono::steady_clock::now() + tick;
  while (!wake_.wait_for(lock, tick, [this] { return stopping_; })) {
    lock.unlock();
    purge_used_jtis();
    if (std::chrono::steady_clock::now() >= next_round) {
      keep();
      next_round = std::chrono::steady_clock::now() + interval_;
    }
    lock.lock();
  }
}

long PartitionKeeper::purge_used_jtis() {
  // An expired assertion or proof is refused for its age: its jti need not
  // be kept. Every minute, so that the tables hold a few minutes of them; on
  // every instance (no lock needed: deleting twice deletes nothing).
  try {
    return pool_.run([&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      return tx.exec(sql::kPurgeExpiredJtis)[0][0].as<long>();
    });
  } catch (const std::exception& e) {
    log::warn("expired client assertion and DPoP proof jtis not purged", {{"error", e.what()}});
    return -1;
  }
}

PartitionKeeper::Round PartitionKeeper::keep() {
  Round round;
  try {
    pool_.run([&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      if (!tx.exec(sql::kTryMaintenanceLock)[0][0].as<bool>()) return;
      round.ran = true;
      try {
        round.created = tx.exec(sql::kEnsureTokenPartitions)[0][0].as<int>();
        if (round.created > 0) log::info("token partitions created", {{"count", round.created}});
      } catch (const pqxx::broken_connection&) {
        throw;  // the lock went with the connection
      } catch (const std::exception& e) {
        // Four weeks are created ahead: a failed round is retried long
        // before inserts could need the missing week.
        round.created = -1;
        log::warn("token partitions not checked", {{"error", e.what()}});
      }
      try {
        round.dropped =
            tx.exec(sql::purge_tokens_call(retention_.count(), domain::kMaxTtl))[0][0].as<int>();
        if (round.dropped > 0) {
          log::info("expired token partitions dropped", {{"count", round.dropped}});
        }
      } catch (const pqxx::broken_connection&) {
        throw;
      } catch (const std::exception& e) {
        // Expired records only wait for the next round (a lock not granted
        // within lock_timeout ends up here too).
        round.dropped = -1;
        log::warn("expired tokens not purged", {{"error", e.what()}});
      }
      tx.exec(sql::kMaintenanceUnlock);
    });
  } catch (const std::exception& e) {
    log::warn("token maintenance skipped", {{"error", e.what()}});
  }
  return round;
}

}  // namespace tessera::store::postgres
