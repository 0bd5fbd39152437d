#include "cache/token_status_cache.hpp"

#include <cstring>

#include "cache/footprint.hpp"
#include "metrics/probes.hpp"

namespace tessera::cache {
namespace {

// The record as introspection and revocation must see it: revoked when it
// was issued before the revocation epoch.
std::shared_ptr<const store::TokenStatus> under_epoch(
    std::shared_ptr<const store::TokenStatus> value,
    const std::optional<domain::Timestamp>& epoch) {
  if (!epoch || value->revoked || value->issued_at >= *epoch) return value;
  auto revoked = std::make_shared<store::TokenStatus>(*value);
  revoked->revoked = true;
  return revoked;
}

}  // namespace

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
  std::optional<domain::Timestamp> epoch;
  if (!current_epoch(now, may_load, epoch)) return {};
  {
    std::lock_guard lock(shard.mutex);
    auto it = shard.entries.find(key);
    if (it != shard.entries.end() && freshness_.usable(it->second.loaded_at, now)) {
      metrics::cache_looked_up(metrics::Cache::token_status, true);
      return {Lookup<store::TokenStatus>::State::found, under_epoch(it->second.value, epoch)};
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
  return {Lookup<store::TokenStatus>::State::found, under_epoch(value, epoch)};
}

bool TokenStatusCache::current_epoch(Freshness::Clock::time_point now, bool may_load,
                                     std::optional<domain::Timestamp>& epoch) {
  if (!epochs_) return true;
  if (const auto held = std::atomic_load(&epoch_);
      held && freshness_.usable(held->loaded_at, now)) {
    epoch = held->epoch;
    return true;
  }
  if (!may_load) return false;
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(epoch_mutex_);
    generation = epoch_generation_;
  }
  const bool trusted_before = freshness_.trusted(now);
  epoch = epochs_->revocation_epoch();
  std::lock_guard lock(epoch_mutex_);
  // Kept only if no change was announced meanwhile and the feed vouched
  // throughout, as for a record.
  if (epoch_generation_ == generation && trusted_before && freshness_.trusted(freshness_.now())) {
    std::atomic_store(&epoch_, std::make_shared<const EpochSnapshot>(EpochSnapshot{epoch, now}));
  }
  return true;
}

void TokenStatusCache::forget_epoch() {
  std::lock_guard lock(epoch_mutex_);
  ++epoch_generation_;
  std::atomic_store(&epoch_, std::shared_ptr<const EpochSnapshot>());
}

void TokenStatusCache::revocation_epoch_changed() {
  forget_epoch();
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
  forget_epoch();
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
