#include "cache/directory.hpp"

#include <mutex>

#include "cache/footprint.hpp"
#include "metrics/probes.hpp"
#include "tokens/jwt_signing_key.hpp"

namespace tessera::cache {
namespace {

std::string client_key(domain::TenantId tenant, const std::string& client_id) {
  return std::to_string(tenant.value) + "/" + client_id;
}

}  // namespace

template <typename T>
typename Directory::Table<T>::Map::iterator Directory::Table<T>::erase(typename Map::iterator it) {
  (it->second.value ? found_bytes : absent_bytes) -= it->second.bytes;
  return entries.erase(it);
}

template <typename T>
void Directory::Table<T>::shrink(bool absent, std::size_t keep) {
  auto& bytes = absent ? absent_bytes : found_bytes;
  for (auto it = entries.begin(); it != entries.end() && bytes > keep;) {
    it = (it->second.value == nullptr) == absent ? erase(it) : std::next(it);
  }
}

template <typename T>
template <typename Pred>
void Directory::Table<T>::erase_if(Pred pred) {
  for (auto it = entries.begin(); it != entries.end();) {
    it = pred(*it) ? erase(it) : std::next(it);
  }
}

template <typename T>
void Directory::insert(Table<T>& table, const std::string& key, std::shared_ptr<const T> value,
                       Freshness::Clock::time_point loaded_at) {
  const std::size_t bytes = kEntryOverhead + footprint(key) + (value ? footprint(*value) : 0);
  const bool absent = value == nullptr;
  const std::size_t limit = absent ? budget_.absent_bytes : budget_.found_bytes;
  if (bytes > limit) return;  // would never fit
  if (auto it = table.entries.find(key); it != table.entries.end()) table.erase(it);
  // Over budget, a quarter of that kind goes at once: making room is an
  // occasional sweep, not a cost on every insertion.
  if ((absent ? table.absent_bytes : table.found_bytes) + bytes > limit) {
    table.shrink(absent, (limit - bytes) / 4 * 3);
  }
  (absent ? table.absent_bytes : table.found_bytes) += bytes;
  table.entries.emplace(key, Entry<T>{std::move(value), bytes, loaded_at});
}

template <typename T, typename Load>
Lookup<T> Directory::lookup(Table<T>& table, metrics::Cache cache, const std::string& key,
                            bool may_load, Load load) {
  const auto now = freshness_.now();
  {
    std::shared_lock lock(mutex_);
    auto it = table.entries.find(key);
    if (it != table.entries.end() && freshness_.usable(it->second.loaded_at, now)) {
      metrics::cache_looked_up(cache, true);
      if (it->second.value) return {Lookup<T>::State::found, it->second.value};
      return {Lookup<T>::State::absent, nullptr};
    }
  }
  // A lookup that may not load is retried on a worker: only that one counts.
  if (may_load) metrics::cache_looked_up(cache, false);
  if (!may_load) return {};
  // Load outside the lock; keep the result only if nothing was invalidated
  // meanwhile, so a change that raced the load is never hidden, and only
  // while the caches are trusted from before the load until after it.
  const auto generation = generation_.load();
  const bool trusted_before = freshness_.trusted(now);
  std::optional<T> loaded = load();
  std::shared_ptr<const T> value;
  if (loaded) value = std::make_shared<const T>(std::move(*loaded));
  std::unique_lock lock(mutex_);
  if (generation_.load() == generation && trusted_before && freshness_.trusted(freshness_.now())) {
    insert(table, key, value, now);
  }
  if (value) return {Lookup<T>::State::found, value};
  return {Lookup<T>::State::absent, nullptr};
}

Lookup<domain::TenantView> Directory::tenant(const std::string& slug, bool may_load) {
  return lookup(tenants_, metrics::Cache::tenants, slug, may_load, [&] {
    auto view = store_.load_tenant(slug);
    if (view) tokens::open_jwt_signing_keys(seal_keys_, *view);
    return view;
  });
}

Lookup<std::string> Directory::slug_for_domain(const std::string& domain, bool may_load) {
  return lookup(domains_, metrics::Cache::domains, domain, may_load,
                [&] { return store_.slug_for_domain(domain); });
}

Lookup<domain::ClientView> Directory::client(domain::TenantId tenant, const std::string& client_id,
                                             bool may_load) {
  return lookup(clients_, metrics::Cache::clients, client_key(tenant, client_id), may_load,
                [&] { return store_.load_client(tenant, client_id); });
}

void Directory::tenant_changed(domain::TenantId tenant) {
  std::unique_lock lock(mutex_);
  ++generation_;
  tenants_.erase_if([&](const auto& entry) {
    return !entry.second.value || entry.second.value->tenant.id == tenant;
  });
  domains_ = {};
  const std::string prefix = std::to_string(tenant.value) + "/";
  clients_.erase_if(
      [&](const auto& entry) { return entry.first.compare(0, prefix.size(), prefix) == 0; });
}

void Directory::client_changed(domain::TenantId tenant, const std::string& client_id) {
  std::unique_lock lock(mutex_);
  ++generation_;
  if (auto it = clients_.entries.find(client_key(tenant, client_id));
      it != clients_.entries.end()) {
    clients_.erase(it);
  }
}

void Directory::tenants_added() {
  std::unique_lock lock(mutex_);
  ++generation_;
  tenants_.erase_if([](const auto& entry) { return !entry.second.value; });
  domains_ = {};
}

void Directory::clear() {
  std::unique_lock lock(mutex_);
  ++generation_;
  tenants_ = {};
  domains_ = {};
  clients_ = {};
}

Directory::Usage Directory::usage() {
  std::shared_lock lock(mutex_);
  return {tenants_.found_bytes + domains_.found_bytes + clients_.found_bytes,
          tenants_.absent_bytes + domains_.absent_bytes + clients_.absent_bytes,
          tenants_.entries.size(), domains_.entries.size(), clients_.entries.size()};
}

}  // namespace tessera::cache
