// The in-process guard against replayed client assertions (RFC 7523 §3,
// jti): grants/jti_replays.hpp. Time is passed in, so expiry is
// tested without sleeping.
#include "grants/jti_replays.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace tessera::grants {
namespace {

using std::chrono::seconds;

const domain::TenantId kTenant{1};
const domain::TenantId kOtherTenant{2};
const domain::Timestamp kNow{seconds(1'700'000'000)};
const domain::Timestamp kExpires = kNow + seconds(90);

TEST(JtiReplaysTest, AcceptsAJtiOnceAndRefusesItsReplay) {
  JtiReplays replays;
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "jti-1", kExpires, kNow));
  EXPECT_FALSE(replays.first_use(kTenant, "client-1", "jti-1", kExpires, kNow));
  EXPECT_FALSE(replays.first_use(kTenant, "client-1", "jti-1", kExpires, kNow + seconds(89)));
}

TEST(JtiReplaysTest, KeepsEachTenantClientAndJtiApart) {
  // RFC 7523 §3 makes a jti unique per issuer: two clients, or the same
  // client id in two tenants, may pick the same one.
  JtiReplays replays;
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "jti-1", kExpires, kNow));
  EXPECT_TRUE(replays.first_use(kTenant, "client-2", "jti-1", kExpires, kNow));
  EXPECT_TRUE(replays.first_use(kOtherTenant, "client-1", "jti-1", kExpires, kNow));
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "jti-2", kExpires, kNow));
  EXPECT_FALSE(replays.first_use(kTenant, "client-2", "jti-1", kExpires, kNow));
  EXPECT_FALSE(replays.first_use(kOtherTenant, "client-1", "jti-1", kExpires, kNow));
  EXPECT_FALSE(replays.first_use(kTenant, "client-1", "jti-2", kExpires, kNow));
}

TEST(JtiReplaysTest, AcceptsAJtiAgainOnceItsAssertionHasExpired) {
  // Past expires_at the assertion itself is refused as expired, so the jti
  // need not be remembered; a new assertion may reuse it.
  JtiReplays replays;
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "jti-1", kExpires, kNow));
  const auto later = kExpires;
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "jti-1", later + seconds(90), later));
  EXPECT_FALSE(replays.first_use(kTenant, "client-1", "jti-1", later + seconds(90), later));
}

TEST(JtiReplaysTest, ForgetsRatherThanRefusesWhenFullOfLiveAssertions) {
  // A full guard must not lock clients out: it forgets, and the database's
  // primary key on client_assertion_jtis still catches the replays.
  JtiReplays replays(3);
  for (const char* jti : {"a", "b", "c"}) {
    EXPECT_TRUE(replays.first_use(kTenant, "client-1", jti, kExpires, kNow));
  }
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "d", kExpires, kNow));
  EXPECT_FALSE(replays.first_use(kTenant, "client-1", "d", kExpires, kNow));
}

TEST(JtiReplaysTest, SweepsExpiredEntriesBeforeForgettingLiveOnes) {
  JtiReplays replays(4);
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "short", kNow + seconds(10), kNow));
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "brief", kNow + seconds(10), kNow));
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "b", kExpires, kNow));
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "c", kExpires, kNow));
  // Full; two have expired, so sweeping them frees half the room and the
  // live entries are still remembered (were they all forgotten, "b" would
  // pass).
  const auto later = kNow + seconds(20);
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "d", kExpires, later));
  EXPECT_FALSE(replays.first_use(kTenant, "client-1", "b", kExpires, later));
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "short", kExpires, later));
}

// A sweep that frees little would come again a few jtis later, each an
// O(n) walk under the lock: instead everything is forgotten at once.
TEST(JtiReplaysTest, ForgetsAllWhenASweepFreesLessThanHalf) {
  JtiReplays replays(4);
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "short", kNow + seconds(10), kNow));
  for (const char* jti : {"a", "b", "c"}) {
    EXPECT_TRUE(replays.first_use(kTenant, "client-1", jti, kExpires, kNow));
  }
  const auto later = kNow + seconds(20);
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "d", kExpires, later));
  EXPECT_TRUE(replays.first_use(kTenant, "client-1", "a", kExpires, later));  // forgotten
}

TEST(JtiReplaysTest, RefusesAReplayOfARememberedJtiEvenWhenFull) {
  // Forgetting is for making room for a new jti; a replay of one still
  // remembered needs no room, so it must be refused like any other replay.
  JtiReplays replays(3);
  for (const char* jti : {"a", "b", "c"}) {
    EXPECT_TRUE(replays.first_use(kTenant, "client-1", jti, kExpires, kNow));
  }
  EXPECT_FALSE(replays.first_use(kTenant, "client-1", "a", kExpires, kNow));
}

}  // namespace
}  // namespace tessera::grants
