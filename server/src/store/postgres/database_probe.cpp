#include "store/postgres/database_probe.hpp"

#include <pqxx/pqxx>

#include "log/log.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {

DatabaseProbe::DatabaseProbe(std::string database_url, DatabaseState& state,
                             std::chrono::milliseconds interval)
    : database_url_(std::move(database_url)), state_(state), interval_(interval) {
  thread_ = std::thread([this] { run(); });
}

DatabaseProbe::~DatabaseProbe() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void DatabaseProbe::run() {
  ConnectionPtr connection;
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    bool reachable = false;
    try {
      if (!connection || !connection->is_open()) connection = connect(database_url_);
      pqxx::nontransaction tx(*connection);
      reachable = tx.exec("SELECT 1")[0][0].as<int>() == 1;
    } catch (const std::exception& e) {
      connection.reset();
      if (state_.reachable()) log::warn("database unreachable", {{"error", e.what()}});
    }
    state_.record(reachable);
    lock.lock();
  }
}

}  // namespace tessera::store::postgres
