#pragma once

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "cache/freshness.hpp"
#include "cache/invalidation.hpp"
#include "crypto/key_ring.hpp"
#include "domain/token_views.hpp"
#include "metrics/probes.hpp"
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

// What a Directory may hold, in approximate bytes, per table.
struct DirectoryBudget {
  std::size_t found_bytes = 256u << 20;
  std::size_t absent_bytes = 8u << 20;
};

// In-process cache of what the token endpoint reads: tenants with their
// APIs, domains, and clients with secrets and grants. Entries are immutable
// snapshots shared between threads; unknown names are remembered too (a
// negative cache) so that guessing client ids does not reach the database
// on every attempt. Invalidated by change notices; trusted only as long as
// `freshness` allows (cache/freshness.hpp), and otherwise read through.
//
// Memory is bounded in bytes (cache/footprint.hpp), per table, separately
// for what exists and for what does not: names a peer makes up can only
// ever fill the small negative budget, and never push out real entries.
//
// A tenant's view is loaded with its JWT signing key open (`seal_keys`,
// tokens/jwt_signing_key.hpp), so that minting a JWT only signs.
class Directory : public Invalidation {
 public:
  using Budget = DirectoryBudget;
  Directory(store::ClientCredentialsStore& store, crypto::SubKeyRing seal_keys, Budget budget = {},
            const Freshness& freshness = Freshness::unconditional())
      : store_(store), seal_keys_(std::move(seal_keys)), budget_(budget), freshness_(freshness) {}

  Lookup<domain::TenantView> tenant(const std::string& slug, bool may_load);
  Lookup<std::string> slug_for_domain(const std::string& domain, bool may_load);
  Lookup<domain::ClientView> client(domain::TenantId tenant, const std::string& client_id,
                                    bool may_load);

  void tenant_changed(domain::TenantId tenant) override;
  void client_changed(domain::TenantId tenant, const std::string& client_id) override;
  void tenants_added() override;
  // Drops everything (e.g. after notifications may have been missed).
  void clear();

  // Bytes held for entries that exist and for names that do not, in all
  // tables together (approximate, as charged against the budget).
  struct Usage {
    std::size_t found_bytes = 0;
    std::size_t absent_bytes = 0;
    std::size_t tenants = 0;  // entries, known and unknown names together
    std::size_t domains = 0;
    std::size_t clients = 0;
  };
  Usage usage();

 private:
  template <typename T>
  struct Entry {
    std::shared_ptr<const T> value;  // nullptr: absent
    std::size_t bytes = 0;
    Freshness::Clock::time_point loaded_at;
  };
  template <typename T>
  struct Table {
    using Map = std::unordered_map<std::string, Entry<T>>;
    Map entries;
    std::size_t found_bytes = 0;
    std::size_t absent_bytes = 0;
    typename Map::iterator erase(typename Map::iterator it);
    // Drops entries of one kind (absent or found), in no particular order,
    // until that kind holds at most `keep` bytes.
    void shrink(bool absent, std::size_t keep);
    template <typename Pred>
    void erase_if(Pred pred);
  };
  template <typename T, typename Load>
  Lookup<T> lookup(Table<T>& table, metrics::Cache cache, const std::string& key, bool may_load,
                   Load load);
  template <typename T>
  void insert(Table<T>& table, const std::string& key, std::shared_ptr<const T> value,
              Freshness::Clock::time_point loaded_at);

  store::ClientCredentialsStore& store_;
  const crypto::SubKeyRing seal_keys_;  // open the tenants' signing keys
  const Budget budget_;
  const Freshness& freshness_;
  std::shared_mutex mutex_;
  std::atomic<std::uint64_t> generation_{0};  // bumped by every invalidation
  Table<domain::TenantView> tenants_;
  Table<std::string> domains_;
  Table<domain::ClientView> clients_;
};

}  // namespace tessera::cache
