#include "cache/token_status_cache.hpp"

#include <cstring>

#include "cache/footprint.hpp"
#include "metrics/probes.hpp"

namespace tessera::cache {

std::size_t TokenStatusCache::KeyHash::operator()(const Key& key) const {
  // The last eight bytes of a UUIDv7 are random: a hash already.
  std::uint64_t random = 0;
  std::memcpy(&random, key.id.data() + 8, sizeof random);
  return static_cast<std::size_t>(random ^ static_cast<std::uint64_t>(key.tenant));
}

TokenStatusCache::Shard::Map::iterator TokenStatusCache::Shard::erase(Map::iterator it) {
  bytes -= it->second.bytes;
  return entries.erase(it);
}

TokenStatusCache::Shard& TokenStatusCache::shard_of(const Key& key) {
  return shards_[KeyHash{}(key) % kShards];
}

Lookup<store::TokenStatus> TokenStatusCache::find(domain::TenantId tenant, const crypto::Uuid& id,
                                                  bool may_load) {
  const Key key{tenant.value, id};
  auto& shard = shard_of(key);
  const auto now = freshness_.now();
  {
    std::lock_guard lock(shard.mutex);
    auto it = shard.entries.find(key);
    if (it != shard.entries.end() && freshness_.usable(it->second.loaded_at, now)) {
      metrics::cache_looked_up(metrics::Cache::token_status, true);
      return {Lookup<store::TokenStatus>::State::found, it->second.value};
    }
  }
  if (!may_load) return {};
  // Counted where the database is read: a reactor's miss is retried here.
  metrics::cache_looked_up(metrics::Cache::token_status, false);
  const auto generation = generation_.load();
  const bool trusted_before = freshness_.trusted(now);
  auto loaded = store_.find_status(tenant, id);
  if (!loaded) return {Lookup<store::TokenStatus>::State::absent, nullptr};
  auto value = std::make_shared<const store::TokenStatus>(std::move(*loaded));
  std::lock_guard lock(shard.mutex);
  const std::size_t bytes = kEntryOverhead + footprint(*value);
  if (auto stale = shard.entries.find(key); stale != shard.entries.end()) {
    if (!freshness_.usable(stale->second.loaded_at, freshness_.now())) shard.erase(stale);
  }
  if (generation_.load() == generation && trusted_before && freshness_.trusted(freshness_.now()) &&
      shard.entries.count(key) == 0 && bytes <= shard_budget_) {
    if (shard.bytes + bytes > shard_budget_) {
      const std::size_t keep = (shard_budget_ - bytes) / 4 * 3;
      for (auto it = shard.entries.begin(); it != shard.entries.end() && shard.bytes > keep;) {
        it = shard.erase(it);
      }
    }
    shard.bytes += bytes;
    shard.entries.emplace(key, Entry{value, bytes, now});
  }
  return {Lookup<store::TokenStatus>::State::found, value};
}

void TokenStatusCache::token_revoked(domain::TenantId tenant, const crypto::Uuid& id) {
  const Key key{tenant.value, id};
  auto& shard = shard_of(key);
  std::lock_guard lock(shard.mutex);
  ++generation_;
  if (auto it = shard.entries.find(key); it != shard.entries.end()) shard.erase(it);
}

void TokenStatusCache::tokens_revoked(domain::TenantId tenant) {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    ++generation_;
    for (auto it = shard.entries.begin(); it != shard.entries.end();) {
      it = it->first.tenant == tenant.value ? shard.erase(it) : std::next(it);
    }
  }
}

void TokenStatusCache::clear() {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    ++generation_;
    shard.entries.clear();
    shard.bytes = 0;
  }
}

std::size_t TokenStatusCache::entries() {
  std::size_t total = 0;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.entries.size();
  }
  return total;
}

std::size_t TokenStatusCache::bytes() {
  std::size_t total = 0;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.bytes;
  }
  return total;
}

}  // namespace tessera::cache
