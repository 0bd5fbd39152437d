#pragma once

#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "cache/directory.hpp"
#include "cache/token_revocations.hpp"
#include "store/token_status_store.hpp"

namespace tessera::cache {

// In-process copies of token records for introspection, so that checking a
// token a resource server presents again and again costs no database round
// trip. Records change only by revocation (TokenRevocations drops them) and
// by expiry (checked by the caller against expires_at), so a copy stays
// right until one of those. Unknown ids are not remembered: a token reaches
// its client only after its record committed, so an id missing now stays
// missing. Bounded: past kMaxEntries the cache starts over.
class TokenStatusCache : public TokenRevocations {
 public:
  explicit TokenStatusCache(store::TokenStatusStore& store) : store_(store) {}

  // `miss` when the record is not here and `may_load` is false (reactor
  // threads); otherwise reads the database on a miss.
  Lookup<store::TokenStatus> find(domain::TenantId tenant, const crypto::Uuid& id, bool may_load);

  void token_revoked(domain::TenantId tenant, const crypto::Uuid& id) override;
  void tokens_revoked(domain::TenantId tenant) override;
  void clear();

  static constexpr std::size_t kMaxEntries = 100'000;

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
  struct Shard {
    std::mutex mutex;
    std::unordered_map<Key, std::shared_ptr<const store::TokenStatus>, KeyHash> entries;
  };
  static constexpr std::size_t kShards = 16;
  Shard& shard_of(const Key& key);

  store::TokenStatusStore& store_;
  std::array<Shard, kShards> shards_;
  // Bumped by every revocation: a load that raced one is not kept.
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace tessera::cache
