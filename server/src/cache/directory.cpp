#include "cache/directory.hpp"

#include <mutex>

namespace tessera::cache {
namespace {

// Bounds on remembered entries; past them a table starts over.
constexpr std::size_t kMaxAbsent = 10'000;
constexpr std::size_t kMaxEntries = 1'000'000;

std::string client_key(domain::TenantId tenant, const std::string& client_id) {
  return std::to_string(tenant.value) + "/" + client_id;
}

}  // namespace

template <typename T, typename Load>
Lookup<T> Directory::lookup(Table<T>& table, const std::string& key, bool may_load, Load load) {
  {
    std::shared_lock lock(mutex_);
    auto it = table.entries.find(key);
    if (it != table.entries.end()) {
      if (it->second) return {Lookup<T>::State::found, it->second};
      return {Lookup<T>::State::absent, nullptr};
    }
  }
  if (!may_load) return {};
  // Load outside the lock; keep the result only if nothing was invalidated
  // meanwhile, so a change that raced the load is never hidden.
  const auto generation = generation_.load();
  std::optional<T> loaded = load();
  std::shared_ptr<const T> value;
  if (loaded) value = std::make_shared<const T>(std::move(*loaded));
  std::unique_lock lock(mutex_);
  if (generation_.load() == generation) {
    if (!value && ++table.absent > kMaxAbsent) {
      for (auto it = table.entries.begin(); it != table.entries.end();) {
        it = it->second ? std::next(it) : table.entries.erase(it);
      }
      table.absent = 1;
    }
    if (table.entries.size() >= kMaxEntries) table.entries.clear();
    table.entries[key] = value;
  }
  if (value) return {Lookup<T>::State::found, value};
  return {Lookup<T>::State::absent, nullptr};
}

Lookup<domain::TenantView> Directory::tenant(const std::string& slug, bool may_load) {
  return lookup(tenants_, slug, may_load, [&] { return store_.load_tenant(slug); });
}

Lookup<std::string> Directory::slug_for_domain(const std::string& domain, bool may_load) {
  return lookup(domains_, domain, may_load, [&] { return store_.slug_for_domain(domain); });
}

Lookup<domain::ClientView> Directory::client(domain::TenantId tenant, const std::string& client_id,
                                             bool may_load) {
  return lookup(clients_, client_key(tenant, client_id), may_load,
                [&] { return store_.load_client(tenant, client_id); });
}

void Directory::tenant_changed(domain::TenantId tenant) {
  std::unique_lock lock(mutex_);
  ++generation_;
  for (auto it = tenants_.entries.begin(); it != tenants_.entries.end();) {
    it = (!it->second || it->second->tenant.id == tenant) ? tenants_.entries.erase(it)
                                                          : std::next(it);
  }
  tenants_.absent = 0;
  domains_.entries.clear();
  domains_.absent = 0;
  const std::string prefix = std::to_string(tenant.value) + "/";
  for (auto it = clients_.entries.begin(); it != clients_.entries.end();) {
    it = it->first.compare(0, prefix.size(), prefix) == 0 ? clients_.entries.erase(it)
                                                           : std::next(it);
  }
}

void Directory::client_changed(domain::TenantId tenant, const std::string& client_id) {
  std::unique_lock lock(mutex_);
  ++generation_;
  clients_.entries.erase(client_key(tenant, client_id));
}

void Directory::tenants_added() {
  std::unique_lock lock(mutex_);
  ++generation_;
  for (auto it = tenants_.entries.begin(); it != tenants_.entries.end();) {
    it = it->second ? std::next(it) : tenants_.entries.erase(it);
  }
  tenants_.absent = 0;
  domains_.entries.clear();
  domains_.absent = 0;
}

void Directory::clear() {
  std::unique_lock lock(mutex_);
  ++generation_;
  tenants_ = {};
  domains_ = {};
  clients_ = {};
}

}  // namespace tessera::cache
