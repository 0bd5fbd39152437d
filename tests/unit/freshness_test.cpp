// When caches may answer (cache/freshness): only while the change feed has
// recently heard its own heartbeat, never across a reported loss until a
// heartbeat sent after it, and no entry past the maximum age; and what that
// means for the directory and the token record cache.
#include "cache/freshness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "cache/directory.hpp"
#include "cache/token_status_cache.hpp"

namespace tessera::cache {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = Freshness::Clock;

// A clock the test moves by hand.
struct ManualClock {
  Clock::time_point now = Clock::time_point(seconds(1000));
  Freshness::Now reader() {
    return [this] { return now; };
  }
};

TEST(FreshnessTest, TrustsOnlyWhileAHeartbeatWasHeardWithinTheSilenceLimit) {
  ManualClock clock;
  Freshness freshness(seconds(60), seconds(2), clock.reader());
  EXPECT_FALSE(freshness.trusted(clock.now));  // nothing heard yet

  freshness.confirm(clock.now);
  EXPECT_TRUE(freshness.trusted(clock.now));
  clock.now += seconds(2);
  EXPECT_TRUE(freshness.trusted(clock.now));
  clock.now += milliseconds(1);
  EXPECT_FALSE(freshness.trusted(clock.now));

  // An older heartbeat heard late never moves the confirmation back.
  freshness.confirm(clock.now);
  freshness.confirm(clock.now - seconds(5));
  EXPECT_EQ(freshness.confirmed(), clock.now);
}

TEST(FreshnessTest, ALossIsForgivenOnlyByAHeartbeatSentAfterIt) {
  ManualClock clock;
  Freshness freshness(seconds(60), seconds(2), clock.reader());
  const auto before = clock.now;
  freshness.confirm(before);
  clock.now += milliseconds(300);
  freshness.lose(clock.now);
  EXPECT_FALSE(freshness.trusted(clock.now));

  // A heartbeat that was already on its way proves nothing about the loss.
  freshness.confirm(before + milliseconds(200));
  EXPECT_FALSE(freshness.trusted(clock.now));
  freshness.confirm(clock.now);
  EXPECT_FALSE(freshness.trusted(clock.now));
  clock.now += milliseconds(1);
  freshness.confirm(clock.now);
  EXPECT_TRUE(freshness.trusted(clock.now));
}

TEST(FreshnessTest, EntriesAreUsableUpToTheMaximumAge) {
  ManualClock clock;
  Freshness freshness(seconds(60), seconds(2), clock.reader());
  const auto loaded = clock.now;
  clock.now += seconds(59);
  freshness.confirm(clock.now);
  EXPECT_TRUE(freshness.usable(loaded, clock.now));
  clock.now += seconds(1);
  freshness.confirm(clock.now);
  EXPECT_FALSE(freshness.usable(loaded, clock.now));
}

// A store of one client that counts loads.
class OneClientStore : public store::ClientCredentialsStore {
 public:
  std::optional<domain::TenantView> load_tenant(const std::string&) override {
    return std::nullopt;
  }
  std::optional<std::string> slug_for_domain(const std::string&) override { return std::nullopt; }
  std::optional<domain::ClientView> load_client(domain::TenantId tenant,
                                                const std::string& client_id) override {
    ++loads;
    domain::ClientView view;
    view.client.tenant_id = tenant;
    view.client.client_id = domain::ClientId{client_id};
    return view;
  }
  int loads = 0;
};

constexpr domain::TenantId kTenant{5};

// No tenant here has signing keys: any sealing key will do.
crypto::SubKey any_seal_key() {
  return crypto::SubKey::make(
      [](unsigned char* out) { std::fill(out, out + crypto::SubKey::kSize, 's'); });
}

TEST(FreshnessTest, TheDirectoryReadsThroughWhileUntrustedAndReloadsOldEntries) {
  ManualClock clock;
  Freshness freshness(seconds(60), seconds(2), clock.reader());
  OneClientStore store;
  Directory directory(store, crypto::SubKeyRing(any_seal_key()), {}, freshness);

  // Untrusted (the feed has not heard itself yet): every lookup loads, and
  // nothing is kept.
  ASSERT_TRUE(directory.client(kTenant, "svc", true).found());
  ASSERT_TRUE(directory.client(kTenant, "svc", true).found());
  EXPECT_EQ(store.loads, 2);
  EXPECT_EQ(directory.client(kTenant, "svc", false).state, Lookup<domain::ClientView>::State::miss);
  EXPECT_EQ(directory.usage().found_bytes, 0u);

  freshness.confirm(clock.now);
  ASSERT_TRUE(directory.client(kTenant, "svc", true).found());
  EXPECT_TRUE(directory.client(kTenant, "svc", false).found());
  EXPECT_EQ(store.loads, 3);

  // The feed goes silent: the cached entry is not used.
  clock.now += seconds(3);
  EXPECT_EQ(directory.client(kTenant, "svc", false).state, Lookup<domain::ClientView>::State::miss);

  // Heard again, the entry answers until it is TESSERA_CACHE_MAX_AGE old.
  freshness.confirm(clock.now);
  EXPECT_TRUE(directory.client(kTenant, "svc", false).found());
  clock.now += seconds(57);
  freshness.confirm(clock.now);
  EXPECT_EQ(directory.client(kTenant, "svc", false).state, Lookup<domain::ClientView>::State::miss);
  ASSERT_TRUE(directory.client(kTenant, "svc", true).found());
  EXPECT_EQ(store.loads, 4);
  EXPECT_TRUE(directory.client(kTenant, "svc", false).found());
}

class OneRecordStore : public store::TokenStatusStore {
 public:
  std::optional<store::TokenStatus> find_status(domain::TenantId, const crypto::Uuid&) override {
    ++reads;
    store::TokenStatus status;
    status.client_id = "svc";
    status.revoked = revoked;
    return status;
  }
  void revoke(domain::TenantId, const crypto::Uuid&) override { revoked = true; }
  bool revoked = false;
  int reads = 0;
};

TEST(FreshnessTest, TokenRecordsAreReadThroughWhileUntrustedAndReloadedWhenOld) {
  ManualClock clock;
  Freshness freshness(seconds(60), seconds(2), clock.reader());
  OneRecordStore store;
  TokenStatusCache cache(store, TokenStatusCache::kDefaultBudget, freshness);
  const crypto::Uuid id{};

  freshness.confirm(clock.now);
  ASSERT_TRUE(cache.find(kTenant, id, true).found());
  EXPECT_TRUE(cache.find(kTenant, id, false).found());
  EXPECT_EQ(store.reads, 1);

  // Revoked behind the cache's back (a notice that never came).
  store.revoked = true;
  clock.now += seconds(3);
  const auto bypassed = cache.find(kTenant, id, true);
  ASSERT_TRUE(bypassed.found());
  EXPECT_TRUE(bypassed.value->revoked);

  // And with the feed healthy, the backstop age ends the stale copy too.
  store.revoked = false;
  freshness.confirm(clock.now);
  ASSERT_FALSE(cache.find(kTenant, id, true).value->revoked);
  store.revoked = true;
  clock.now += seconds(60);
  freshness.confirm(clock.now);
  EXPECT_EQ(cache.find(kTenant, id, false).state, Lookup<store::TokenStatus>::State::miss);
  EXPECT_TRUE(cache.find(kTenant, id, true).value->revoked);
}

}  // namespace
}  // namespace tessera::cache
