// The revocation epoch as introspection sees it (cache/token_status_cache):
// a record issued before the epoch is answered revoked, one issued at or
// after it is not; the epoch is read once, held while the change feed
// vouches, dropped by its change notice and by a resync, and read again
// while the caches are bypassed.
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "cache/freshness.hpp"
#include "cache/token_status_cache.hpp"

namespace tessera::cache {
namespace {

using std::chrono::seconds;

const domain::Timestamp kEpoch = domain::Timestamp(
    std::chrono::duration_cast<domain::Timestamp::duration>(std::chrono::seconds(1'800'000'000)));
constexpr domain::TenantId kTenant{7};

crypto::Uuid token_id(unsigned char n) {
  crypto::Uuid id{};
  id[0] = 0x01;
  id[15] = n;
  return id;
}

class Records : public store::TokenStatusStore {
 public:
  std::optional<store::TokenStatus> find_status(domain::TenantId, const crypto::Uuid& id) override {
    auto found = issued.find(id[15]);
    if (found == issued.end()) return std::nullopt;
    store::TokenStatus status;
    status.client_id = "svc";
    status.issued_at = found->second;
    status.expires_at = found->second + std::chrono::hours(1);
    return status;
  }
  void revoke(domain::TenantId, const crypto::Uuid&) override {}
  std::map<unsigned char, domain::Timestamp> issued;
};

class Epochs : public store::RevocationEpochStore {
 public:
  std::optional<domain::Timestamp> revocation_epoch() override {
    ++reads;
    return epoch;
  }
  std::optional<domain::Timestamp> epoch;
  int reads = 0;
};

class RevocationEpochTest : public ::testing::Test {
 protected:
  RevocationEpochTest() {
    records.issued[1] = kEpoch - seconds(1);
    records.issued[2] = kEpoch;
    records.issued[3] = kEpoch + seconds(1);
    freshness.confirm(now);
  }
  bool revoked(unsigned char n, bool may_load = true) {
    const auto found = cache.find(kTenant, token_id(n), may_load);
    EXPECT_TRUE(found.found());
    return found.value->revoked;
  }

  Freshness::Clock::time_point now{seconds(1000)};
  Freshness freshness{seconds(60), seconds(2), [this] { return now; }};
  Records records;
  Epochs epochs;
  TokenStatusCache cache{records, TokenStatusCache::kDefaultBudget, freshness, &epochs};
};

TEST_F(RevocationEpochTest, TokensIssuedBeforeTheEpochAreRevokedAtOrAfterItAreNot) {
  EXPECT_FALSE(revoked(1));  // no epoch yet
  epochs.epoch = kEpoch;
  cache.revocation_epoch_changed();
  EXPECT_TRUE(revoked(1));   // issued a second before
  EXPECT_FALSE(revoked(2));  // at
  EXPECT_FALSE(revoked(3));  // after
  // The held record is unchanged: lowering the epoch (--force) revives it.
  epochs.epoch = kEpoch - seconds(2);
  cache.revocation_epoch_changed();
  EXPECT_FALSE(revoked(1));
}

TEST_F(RevocationEpochTest, TheEpochIsReadOnceAndHeldUntilItsNotice) {
  epochs.epoch = kEpoch;
  EXPECT_TRUE(revoked(1));
  EXPECT_FALSE(revoked(3));
  EXPECT_TRUE(revoked(1, false));  // a reactor thread answers from memory
  EXPECT_EQ(epochs.reads, 1);

  epochs.epoch = kEpoch + seconds(5);  // set elsewhere; the notice comes
  cache.revocation_epoch_changed();
  // Not held: a reactor thread hands the lookup to a worker.
  EXPECT_EQ(cache.find(kTenant, token_id(3), false).state, Lookup<store::TokenStatus>::State::miss);
  EXPECT_TRUE(revoked(3));
  EXPECT_EQ(epochs.reads, 2);
}

TEST_F(RevocationEpochTest, AResyncDropsTheEpochAndASilentFeedBypassesIt) {
  epochs.epoch = kEpoch;
  EXPECT_TRUE(revoked(1));
  epochs.epoch = kEpoch + seconds(5);  // its notice is lost
  cache.clear();                       // the feed reconnects: starts clean
  EXPECT_TRUE(revoked(3));
  EXPECT_EQ(epochs.reads, 2);

  // The feed falls silent past its limit: every lookup reads the epoch.
  now += seconds(3);
  epochs.epoch = kEpoch + seconds(10);
  EXPECT_TRUE(revoked(3));
  EXPECT_EQ(epochs.reads, 3);
  EXPECT_TRUE(revoked(3));
  EXPECT_EQ(epochs.reads, 4);
  EXPECT_EQ(cache.find(kTenant, token_id(3), false).state, Lookup<store::TokenStatus>::State::miss);
}

}  // namespace
}  // namespace tessera::cache
