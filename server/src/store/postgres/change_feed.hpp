#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "cache/invalidation.hpp"
#include "cache/token_revocations.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {

// Cross-instance cache invalidation (SPEC §5): every admin change is applied
// to this instance's caches at once and published with NOTIFY; a listener
// thread on its own connection applies what other instances publish, within
// a second. Notifications sent while the listener was disconnected are lost,
// so after any reconnect the whole cache is dropped.
class ChangeFeed : public cache::Invalidation, public cache::TokenRevocations {
 public:
  // `local` and `local_tokens` are this instance's caches (its Directory and
  // TokenStatusCache).
  ChangeFeed(Pool& pool, std::string database_url, cache::Invalidation& local,
             cache::TokenRevocations& local_tokens, std::function<void()> drop_everything);
  ~ChangeFeed() override;
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  void tenant_changed(domain::TenantId tenant) override;
  void client_changed(domain::TenantId tenant, const std::string& client_id) override;
  void tenants_added() override;
  void token_revoked(domain::TenantId tenant, const crypto::Uuid& id) override;
  void tokens_revoked(domain::TenantId tenant) override;

  // Applies one published payload to the local caches (exposed for tests).
  static void apply(const std::string& payload, cache::Invalidation& local,
                    cache::TokenRevocations& local_tokens);

 private:
  void publish(const std::string& payload);
  void listen();

  Pool& pool_;
  const std::string database_url_;
  cache::Invalidation& local_;
  cache::TokenRevocations& local_tokens_;
  std::function<void()> drop_everything_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace tessera::store::postgres
