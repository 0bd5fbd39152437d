#pragma once

#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "cache/directory.hpp"
#include "cache/token_revocations.hpp"
#include "store/revocation_epoch_store.hpp"
#include "store/token_status_store.hpp"

namespace tessera::cache {

// In-process copies of token records for introspection, so that checking a
// token a resource server presents again and again costs no database round
// trip. Records change only by revocation (TokenRevocations drops them) and
// by expiry (checked by the caller against expires_at), so a copy stays
// right until one of those. Unknown ids are not remembered: a token reaches
// its client only after its record committed, so an id missing now stays
// missing. Trusted only as long as `freshness` allows (cache/freshness.hpp).
// Bounded in bytes (cache/footprint.hpp): past the budget, a
// quarter of a shard's records go, in no particular order.
//
// It also holds the global revocation epoch (store::RevocationEpochStore),
// cached like the records: trusted as `freshness` allows, dropped by its
// change notice and by clear(), read again from the database otherwise. A
// record issued before the epoch is answered as revoked.
class TokenStatusCache : public TokenRevocations {
 public:
  static constexpr std::size_t kDefaultBudget = 128u << 20;
  explicit TokenStatusCache(store::TokenStatusStore& store,
                            std::size_t budget_bytes = kDefaultBudget,
                            const Freshness& freshness = Freshness::unconditional(),
                            store::RevocationEpochStore* epochs = nullptr)
      : store_(store),
        epochs_(epochs),
        shard_budget_(budget_bytes / kShards),
        freshness_(freshness) {}

  // `miss` when the record is not here and `may_load` is false (reactor
  // threads); otherwise reads the database on a miss.
  Lookup<store::TokenStatus> find(domain::TenantId tenant, const crypto::Uuid& id, bool may_load);

  void token_revoked(domain::TenantId tenant, const crypto::Uuid& id) override;
  void tokens_revoked(domain::TenantId tenant) override;
  void revocation_epoch_changed() override;
  void clear();

  // Bytes held, as charged against the budget.
  std::size_t bytes();
  std::size_t entries();

 private:
  struct Key {
    std::int64_t tenant;
    crypto::Uuid id;
    bool operator==(const Key& other) const { return tenant == other.tenant && id == other.id; }
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const;
  };
  // Sharded so that reactor and worker threads rarely meet on one lock.
  struct Entry {
    std::shared_ptr<const store::TokenStatus> value;
    std::size_t bytes = 0;
    Freshness::Clock::time_point loaded_at;
  };
  struct Shard {
    using Map = std::unordered_map<Key, Entry, KeyHash>;
    std::mutex mutex;
    Map entries;
    std::size_t bytes = 0;
    Map::iterator erase(Map::iterator it);
  };
  static constexpr std::size_t kShards = 16;
  Shard& shard_of(const Key& key);
  struct EpochSnapshot {
    std::optional<domain::Timestamp> epoch;  // none: no epoch set
    Freshness::Clock::time_point loaded_at;
  };
  // The epoch in force at `now` into `epoch`; false when it is not held
  // here and `may_load` is false.
  bool current_epoch(Freshness::Clock::time_point now, bool may_load,
                     std::optional<domain::Timestamp>& epoch);
  void forget_epoch();

  store::TokenStatusStore& store_;
  store::RevocationEpochStore* epochs_;  // none: no epoch (tests)
  const std::size_t shard_budget_;
  const Freshness& freshness_;
  std::array<Shard, kShards> shards_;
  // Bumped by every revocation: a load that raced one is not kept.
  std::atomic<std::uint64_t> generation_{0};
  // Read with std::atomic_load on the hot path; replaced under epoch_mutex_.
  std::shared_ptr<const EpochSnapshot> epoch_;
  std::mutex epoch_mutex_;
  std::uint64_t epoch_generation_ = 0;  // under epoch_mutex_: bumped by every change
};

}  // namespace tessera::cache
