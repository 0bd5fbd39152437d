#include "store/postgres/partition_keeper.hpp"

#include <pqxx/pqxx>

#include "log/log.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {

PartitionKeeper::PartitionKeeper(Pool& pool, std::chrono::hours interval)
    : pool_(pool), interval_(interval) {
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
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    try {
      const int created = pool_.run([](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        return tx.exec(sql::kEnsureTokenPartitions)[0][0].as<int>();
      });
      if (created > 0) log::info("token partitions created", {{"count", created}});
    } catch (const std::exception& e) {
      // Four weeks are created ahead: a failed round is retried long before
      // inserts could need the missing week.
      log::warn("token partitions not checked", {{"error", e.what()}});
    }
    lock.lock();
  }
}

}  // namespace tessera::store::postgres
