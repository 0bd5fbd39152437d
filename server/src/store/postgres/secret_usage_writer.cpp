#include "store/postgres/secret_usage_writer.hpp"

#include <pqxx/pqxx>

#include "domain/time.hpp"
#include "log/log.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {

SecretUsageWriter::SecretUsageWriter(Pool& pool, std::chrono::milliseconds interval)
    : pool_(pool), interval_(interval) {
  thread_ = std::thread([this] { run(); });
}

SecretUsageWriter::~SecretUsageWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  flush();
}

void SecretUsageWriter::mark_used(domain::TenantId tenant, const std::string& client_id,
                                  domain::SecretId secret, domain::Timestamp when) {
  std::lock_guard lock(mutex_);
  auto& latest = pending_[{tenant.value, client_id, secret.value}];
  if (when > latest) latest = when;
}

void SecretUsageWriter::flush() {
  std::map<Key, domain::Timestamp> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(pending_);
  }
  if (batch.empty()) return;
  try {
    pool_.run([&](pqxx::connection& c) {
      pqxx::work tx(c);
      for (const auto& [key, when] : batch) {
        tx.exec_params(sql::kTouchSecret, std::get<0>(key), std::get<1>(key), std::get<2>(key),
                       domain::to_unix_micros(when));
      }
      tx.commit();
    });
  } catch (const std::exception& e) {
    // Losing a last-used time is harmless; the next use records it again.
    log::warn("secret last-used times not written", {{"error", e.what()}});
  }
}

void SecretUsageWriter::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    flush();
    lock.lock();
  }
}

}  // namespace tessera::store::postgres
