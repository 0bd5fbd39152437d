#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "cache/invalidation.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {

// Cross-instance cache invalidation (SPEC §5): every admin change is applied
// to this instance's caches at once and published with NOTIFY; a listener
// thread on its own connection applies what other instances publish, within
// a second. Notifications sent while the listener was disconnected are lost,
// so after any reconnect the whole cache is dropped.
class ChangeFeed : public cache::Invalidation {
 public:
  // `local` is this instance's cache (its Directory).
  ChangeFeed(Pool& pool, std::string database_url, cache::Invalidation& local,
             std::function<void()> drop_everything);
  ~ChangeFeed() override;
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  void tenant_changed(domain::TenantId tenant) override;
  void client_changed(domain::TenantId tenant, const std::string& client_id) override;
  void tenants_added() override;

  // Applies one published payload to the local cache (exposed for tests).
  static void apply(const std::string& payload, cache::Invalidation& local);

 private:
  void publish(const std::string& payload);
  void listen();

  Pool& pool_;
  const std::string database_url_;
  cache::Invalidation& local_;
  std::function<void()> drop_everything_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace tessera::store::postgres
