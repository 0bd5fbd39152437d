#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>

#include "store/client_credentials_store.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {

// Keeps the latest use of each client secret in memory and writes
// last_used_at every few seconds: the token endpoint never waits for it, and
// a busy secret costs one UPDATE per interval, not one per token. Secrets to
// store again under the current master key (rotation) go the same way: the
// cached hash keeps verifying under the previous key meanwhile.
class SecretUsageWriter : public SecretUsage {
 public:
  SecretUsageWriter(Pool& pool, std::chrono::milliseconds interval = std::chrono::seconds(5));
  ~SecretUsageWriter() override;

  void mark_used(domain::TenantId tenant, const std::string& client_id, domain::SecretId secret,
                 domain::Timestamp when) override;
  void rehash(domain::TenantId tenant, const std::string& client_id, domain::SecretId secret,
              const domain::SecretRehash& rehash) override;
  // Writes what is pending now (also called at shutdown).
  void flush();

 private:
  using Key = std::tuple<std::int64_t, std::string, std::int64_t>;
  void run();

  Pool& pool_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<Key, domain::Timestamp> pending_;
  std::map<Key, domain::SecretRehash> pending_rehashes_;
  std::thread thread_;
};

}  // namespace tessera::store::postgres
