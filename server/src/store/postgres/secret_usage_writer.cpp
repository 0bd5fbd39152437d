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

void SecretUsageWriter::rehash(domain::TenantId tenant, const std::string& client_id,
                               domain::SecretId secret, const domain::SecretRehash& rehash) {
  std::lock_guard lock(mutex_);
  pending_rehashes_.insert_or_assign({tenant.value, client_id, secret.value}, rehash);
}

void SecretUsageWriter::flush() {
  std::map<Key, domain::Timestamp> batch;
  std::map<Key, domain::SecretRehash> rehashes;
  {
    std::lock_guard lock(mutex_);
    batch.swap(pending_);
    rehashes.swap(pending_rehashes_);
  }
  if (batch.empty() && rehashes.empty()) return;
  try {
    pool_.run([&](pqxx::connection& c) {
      pqxx::work tx(c);
      for (const auto& [key, when] : batch) {
        tx.exec_params(sql::kTouchSecret, std::get<0>(key), std::get<1>(key), std::get<2>(key),
                       domain::to_unix_micros(when));
      }
      // Only a hash still made by the key it was verified under is replaced:
      // a secret rotated or re-hashed meanwhile stays as it is. The update
      // announces the change, so every instance reloads the client.
      for (const auto& [key, rehash] : rehashes) {
        tx.exec_params(sql::kRehashSecret, std::get<0>(key), std::get<1>(key), std::get<2>(key),
                       rehash.from.value, pqxx::binarystring(rehash.keyed_hash), rehash.to.value);
      }
      tx.commit();
    });
  } catch (const std::exception& e) {
    // Harmless: the next use records the time, and re-hashes, again.
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
