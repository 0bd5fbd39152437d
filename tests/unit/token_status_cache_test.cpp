// The introspection cache of token records (cache/token_status_cache): a
// record is read from the store once, revocations drop it, and a load that
// raced a revocation is not kept, also with lookups on several threads
// (tsan_tests runs this file under ThreadSanitizer).
#include "cache/token_status_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace tessera::cache {
namespace {

// An in-memory store that counts reads; `during_read` runs inside a read, to
// stage a revocation that races it.
class CountingStore : public store::TokenStatusStore {
 public:
  std::optional<store::TokenStatus> find_status(domain::TenantId tenant,
                                                const crypto::Uuid& id) override {
    ++reads;
    auto found = records.find({tenant.value, id});
    std::optional<store::TokenStatus> status;
    if (found != records.end()) status = found->second;
    if (during_read) during_read();
    return status;
  }
  void revoke(domain::TenantId tenant, const crypto::Uuid& id) override {
    records[{tenant.value, id}].revoked = true;
  }

  std::map<std::pair<std::int64_t, crypto::Uuid>, store::TokenStatus> records;
  std::function<void()> during_read;
  int reads = 0;
};

crypto::Uuid token_id(unsigned char n) {
  crypto::Uuid id{};
  id[0] = 0x01;
  id[15] = n;
  return id;
}

constexpr domain::TenantId kTenant{7};

store::TokenStatus record_of(const std::string& client_id) {
  store::TokenStatus status;
  status.client_id = client_id;
  return status;
}

TEST(TokenStatusCacheTest, ReadsTheStoreOnceThenAnswersFromMemory) {
  CountingStore store;
  store.records[{kTenant.value, token_id(1)}] = record_of("svc");
  TokenStatusCache cache(store);

  EXPECT_EQ(cache.find(kTenant, token_id(1), false).state, Lookup<store::TokenStatus>::State::miss);
  EXPECT_EQ(store.reads, 0);
  auto loaded = cache.find(kTenant, token_id(1), true);
  ASSERT_TRUE(loaded.found());
  EXPECT_EQ(loaded.value->client_id, "svc");
  auto again = cache.find(kTenant, token_id(1), false);
  ASSERT_TRUE(again.found());
  EXPECT_EQ(store.reads, 1);
  // Another tenant's token with the same id is another record.
  EXPECT_EQ(cache.find(domain::TenantId{8}, token_id(1), true).state,
            Lookup<store::TokenStatus>::State::absent);
}

TEST(TokenStatusCacheTest, UnknownTokensAreNotRemembered) {
  CountingStore store;
  TokenStatusCache cache(store);
  EXPECT_EQ(cache.find(kTenant, token_id(2), true).state,
            Lookup<store::TokenStatus>::State::absent);
  EXPECT_EQ(cache.find(kTenant, token_id(2), false).state, Lookup<store::TokenStatus>::State::miss);
}

TEST(TokenStatusCacheTest, ARevocationDropsTheRecordSoTheNextReadSeesIt) {
  CountingStore store;
  store.records[{kTenant.value, token_id(3)}] = record_of("svc");
  store.records[{kTenant.value, token_id(4)}] = record_of("svc");
  TokenStatusCache cache(store);
  ASSERT_TRUE(cache.find(kTenant, token_id(3), true).found());
  ASSERT_TRUE(cache.find(kTenant, token_id(4), true).found());

  store.revoke(kTenant, token_id(3));
  cache.token_revoked(kTenant, token_id(3));
  EXPECT_EQ(cache.find(kTenant, token_id(3), false).state, Lookup<store::TokenStatus>::State::miss);
  EXPECT_TRUE(cache.find(kTenant, token_id(3), true).value->revoked);
  EXPECT_TRUE(cache.find(kTenant, token_id(4), false).found());

  cache.tokens_revoked(kTenant);
  EXPECT_EQ(cache.find(kTenant, token_id(4), false).state, Lookup<store::TokenStatus>::State::miss);
}

TEST(TokenStatusCacheTest, ALoadThatRacedARevocationIsNotKept) {
  CountingStore store;
  store.records[{kTenant.value, token_id(5)}] = record_of("svc");
  TokenStatusCache cache(store);
  // The record was read as active, then revoked before the load finished.
  store.during_read = [&] { cache.token_revoked(kTenant, token_id(5)); };
  EXPECT_TRUE(cache.find(kTenant, token_id(5), true).found());
  store.during_read = nullptr;
  EXPECT_EQ(cache.find(kTenant, token_id(5), false).state, Lookup<store::TokenStatus>::State::miss);
}

TEST(TokenStatusCacheTest, StaysWithinItsByteBudget) {
  CountingStore store;
  const std::size_t budget = 64u << 10;
  TokenStatusCache cache(store, budget);
  // Ids whose random half differs in its low bytes, as real UUIDv7s do, so
  // that they spread over the shards.
  const auto id_of = [](int n) {
    auto id = token_id(0);
    id[8] = static_cast<unsigned char>(n);
    id[9] = static_cast<unsigned char>(n >> 8);
    return id;
  };
  for (int n = 0; n < 5'000; ++n) {
    const auto id = id_of(n);
    store.records[{kTenant.value, id}] = record_of("client-" + std::to_string(n));
    const auto found = cache.find(kTenant, id, true);
    ASSERT_TRUE(found.found());
    EXPECT_EQ(found.value->client_id, "client-" + std::to_string(n));
  }
  EXPECT_LE(cache.bytes(), budget);
  EXPECT_GE(cache.bytes(), budget / 2);
  // The latest record is still held.
  const int reads = store.reads;
  EXPECT_TRUE(cache.find(kTenant, id_of(4'999), false).found());
  EXPECT_EQ(store.reads, reads);
}

// A store that several threads may read while another revokes.
class LockedStore : public store::TokenStatusStore {
 public:
  std::optional<store::TokenStatus> find_status(domain::TenantId tenant,
                                                const crypto::Uuid& id) override {
    std::lock_guard lock(mutex_);
    auto found = records_.find({tenant.value, id});
    if (found == records_.end()) return std::nullopt;
    return found->second;
  }
  void revoke(domain::TenantId tenant, const crypto::Uuid& id) override {
    std::lock_guard lock(mutex_);
    records_[{tenant.value, id}].revoked = true;
  }
  void add(domain::TenantId tenant, const crypto::Uuid& id, store::TokenStatus status) {
    std::lock_guard lock(mutex_);
    records_[{tenant.value, id}] = std::move(status);
  }

 private:
  std::mutex mutex_;
  std::map<std::pair<std::int64_t, crypto::Uuid>, store::TokenStatus> records_;
};

// Reactor and worker threads look tokens up while the change feed's thread
// applies revocations (the store first, then the cache, as the server
// does): a lookup that starts after a revocation was applied never answers
// with the record from before it.
TEST(TokenStatusCacheTest, LookupsOnManyThreadsNeverSeeARecordFromBeforeItsRevocation) {
  constexpr int kTokens = 64;
  constexpr int kReaders = 4;
  LockedStore store;
  for (int i = 0; i < kTokens; ++i) {
    store.add(kTenant, token_id(static_cast<unsigned char>(i)), record_of("svc"));
  }
  TokenStatusCache cache(store);
  std::atomic<int> revoked_below{0};  // tokens [0, revoked_below) are revoked everywhere
  std::atomic<int> stale{0};
  std::atomic<bool> done{false};

  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      for (int round = 0; !done.load(); ++round) {
        const int i = (round * 7 + r) % kTokens;
        const int revoked = revoked_below.load();
        const auto found = cache.find(kTenant, token_id(static_cast<unsigned char>(i)), r % 2 == 0);
        if (found.found() && i < revoked && !found.value->revoked) ++stale;
      }
    });
  }
  std::thread revoker([&] {
    for (int i = 0; i < kTokens; ++i) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      store.revoke(kTenant, token_id(static_cast<unsigned char>(i)));
      cache.token_revoked(kTenant, token_id(static_cast<unsigned char>(i)));
      revoked_below = i + 1;
    }
    done = true;
  });
  revoker.join();
  for (auto& reader : readers) reader.join();

  EXPECT_EQ(stale.load(), 0);
  for (int i = 0; i < kTokens; ++i) {
    const auto found = cache.find(kTenant, token_id(static_cast<unsigned char>(i)), true);
    ASSERT_TRUE(found.found());
    EXPECT_TRUE(found.value->revoked) << "token " << i;
  }
}

}  // namespace
}  // namespace tessera::cache
