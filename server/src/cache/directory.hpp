#pragma once

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "cache/invalidation.hpp"
#include "domain/token_views.hpp"
#include "store/client_credentials_store.hpp"

namespace tessera::cache {

// The answer of a cache lookup. `miss` only comes from a lookup that may not
// load (on a reactor thread): the caller retries on a worker.
template <typename T>
struct Lookup {
  enum class State { found, absent, miss } state = State::miss;
  std::shared_ptr<const T> value;
  bool found() const { return state == State::found; }
};

// In-process cache of what the token endpoint reads: tenants with their
// APIs, domains, and clients with secrets and grants. Entries are immutable
// snapshots shared between threads; unknown names are remembered too (a
// bounded negative cache) so that guessing client ids does not reach the
// database on every attempt. Invalidated by admin changes.
class Directory : public Invalidation {
 public:
  explicit Directory(store::ClientCredentialsStore& store) : store_(store) {}

  Lookup<domain::TenantView> tenant(const std::string& slug, bool may_load);
  Lookup<std::string> slug_for_domain(const std::string& domain, bool may_load);
  Lookup<domain::ClientView> client(domain::TenantId tenant, const std::string& client_id,
                                    bool may_load);

  void tenant_changed(domain::TenantId tenant) override;
  void client_changed(domain::TenantId tenant, const std::string& client_id) override;
  void tenants_added() override;
  // Drops everything (e.g. after notifications may have been missed).
  void clear();

 private:
  template <typename T>
  struct Table {
    std::unordered_map<std::string, std::shared_ptr<const T>> entries;  // nullptr: absent
    std::size_t absent = 0;
  };
  template <typename T, typename Load>
  Lookup<T> lookup(Table<T>& table, const std::string& key, bool may_load, Load load);

  store::ClientCredentialsStore& store_;
  std::shared_mutex mutex_;
  std::atomic<std::uint64_t> generation_{0};  // bumped by every invalidation
  Table<domain::TenantView> tenants_;
  Table<std::string> domains_;
  Table<domain::ClientView> clients_;
};

}  // namespace tessera::cache
