// The limiter of failed authentications (domain/failure_limiter), also
// with failures recorded from several threads at once, as the server's
// workers record them (tsan_tests runs this file under ThreadSanitizer).
#include "domain/failure_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tessera::domain {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// 2023-11-14T22:14:00Z, the start of a minute.
constexpr std::int64_t kMinuteStart = 1'700'000'040;
static_assert(kMinuteStart % 60 == 0);

Timestamp at(std::int64_t unix_seconds) {
  return Timestamp{seconds(unix_seconds)};
}
Timestamp at_ms(std::int64_t unix_ms) {
  return Timestamp{milliseconds(unix_ms)};
}

// Records `count` failures for `key`, spread over the minute starting at `start`.
void fail(FailureLimiter& limiter, const std::string& key, int count, std::int64_t start) {
  for (int i = 0; i < count; ++i) limiter.record_failure(key, at(start + i * 59 / count));
}

TEST(FailureLimiterTest, NeverLimitsTwentyFailuresAMinute) {
  FailureLimiter limiter;
  for (int minute = 0; minute < 5; ++minute) {
    const std::int64_t start = kMinuteStart + 60 * minute;
    for (int i = 0; i < 20; ++i) {
      // Bunched at the end of one window and the start of the next: 40 in
      // 20 seconds across the boundary.
      const Timestamp now = at(start + (i < 10 ? i : 50 + i));
      SCOPED_TRACE(testing::Message() << "minute " << minute << ", failure " << i);
      ASSERT_EQ(limiter.retry_after("client:a", now), std::nullopt);
      limiter.record_failure("client:a", now);
    }
    EXPECT_EQ(limiter.retry_after("client:a", at(start + 59)), std::nullopt);
  }
}

TEST(FailureLimiterTest, EngagesByTheHundredthFailureWithinAMinute) {
  FailureLimiter limiter;
  int failures = 0;
  for (int attempt = 0; attempt < 200; ++attempt) {
    const Timestamp now = at_ms(kMinuteStart * 1000 + attempt * 250);  // 50 s in all
    if (limiter.retry_after("client:a", now)) break;
    limiter.record_failure("client:a", now);
    ++failures;
  }
  EXPECT_GE(failures, 20);
  EXPECT_LE(failures, 100);
  EXPECT_NE(limiter.retry_after("client:a", at(kMinuteStart + 50)), std::nullopt);
}

// SPEC §6 counts failures in any minute, not only in aligned windows.
TEST(FailureLimiterTest, PassesAtMostAHundredFailuresInAnySixtySeconds) {
  FailureLimiter limiter;
  std::deque<std::int64_t> recent;  // ms of the failures of the last 60 s
  bool limited = false;
  // An attempt every 100 ms for two minutes, starting mid-window.
  for (std::int64_t ms = (kMinuteStart + 30) * 1000; ms < (kMinuteStart + 150) * 1000; ms += 100) {
    const Timestamp now = at_ms(ms);
    if (limiter.retry_after("10.0.0.1", now)) {
      limited = true;
      continue;
    }
    limiter.record_failure("10.0.0.1", now);
    recent.push_back(ms);
    while (recent.front() <= ms - 60'000) recent.pop_front();
    ASSERT_LE(recent.size(), 100u) << "at ms " << ms;
  }
  EXPECT_TRUE(limited);
}

TEST(FailureLimiterTest, AsksToRetryWhenTheWindowEnds) {
  struct Case {
    std::int64_t ms_into_minute;
    int expected;
  };
  const std::vector<Case> cases = {
      {0, 60}, {1'000, 59}, {15'000, 45}, {30'500, 30}, {59'000, 1}, {59'999, 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.ms_into_minute);
    FailureLimiter limiter(3);
    const Timestamp now = at_ms(kMinuteStart * 1000 + c.ms_into_minute);
    for (int i = 0; i < 3; ++i) limiter.record_failure("client:a", now);
    const auto retry = limiter.retry_after("client:a", now);
    ASSERT_TRUE(retry.has_value());
    EXPECT_EQ(*retry, c.expected);
    EXPECT_GE(*retry, 1);
    EXPECT_LE(*retry, 60);
  }
}

TEST(FailureLimiterTest, StartsAfreshInANewMinute) {
  FailureLimiter limiter(5);
  fail(limiter, "client:a", 5, kMinuteStart);
  ASSERT_NE(limiter.retry_after("client:a", at(kMinuteStart + 59)), std::nullopt);
  EXPECT_EQ(limiter.retry_after("client:a", at(kMinuteStart + 60)), std::nullopt);
  limiter.record_failure("client:a", at(kMinuteStart + 61));
  EXPECT_EQ(limiter.retry_after("client:a", at(kMinuteStart + 61)), std::nullopt);
  fail(limiter, "client:a", 4, kMinuteStart + 60);
  EXPECT_NE(limiter.retry_after("client:a", at(kMinuteStart + 119)), std::nullopt);
}

TEST(FailureLimiterTest, LeavesOtherKeysAlone) {
  FailureLimiter limiter(5);
  fail(limiter, "client:a", 50, kMinuteStart);
  limiter.record_failure("client:b", at(kMinuteStart + 10));
  const Timestamp now = at(kMinuteStart + 59);
  EXPECT_NE(limiter.retry_after("client:a", now), std::nullopt);
  EXPECT_EQ(limiter.retry_after("client:b", now), std::nullopt);
  EXPECT_EQ(limiter.retry_after("client:a2", now), std::nullopt);
  EXPECT_EQ(limiter.retry_after("10.0.0.1", now), std::nullopt);
}

TEST(FailureLimiterTest, KeepsAtMostMaxKeys) {
  FailureLimiter limiter(5, 100);
  for (int i = 0; i < 1000; ++i) {
    limiter.record_failure("key-" + std::to_string(i), at(kMinuteStart + i % 60));
    ASSERT_LE(limiter.size(), 100u);
  }
  // The latest keys are the ones held.
  for (int i = 0; i < 4; ++i) limiter.record_failure("key-999", at(kMinuteStart + 59));
  EXPECT_NE(limiter.retry_after("key-999", at(kMinuteStart + 59)), std::nullopt);
}

// SPEC §6: flooding the limiter with new keys never resets a limited key.
TEST(FailureLimiterTest, FloodingWithNewKeysNeverResetsALimitedKey) {
  FailureLimiter limiter(10, 100);
  fail(limiter, "client:victim", 10, kMinuteStart);
  for (int i = 0; i < 10'000; ++i) {
    limiter.record_failure("flood-" + std::to_string(i), at(kMinuteStart + 30));
  }
  EXPECT_NE(limiter.retry_after("client:victim", at(kMinuteStart + 59)), std::nullopt);
  // Its count was kept: 9 more failures in the next minute limit it again
  // (19 over two windows), which they would not do for a key just seen.
  fail(limiter, "client:victim", 9, kMinuteStart + 60);
  EXPECT_NE(limiter.retry_after("client:victim", at(kMinuteStart + 100)), std::nullopt);
}

TEST(FailureLimiterTest, EvictsTheOldestKeysThatAreNotLimited) {
  FailureLimiter limiter(3, 3);
  fail(limiter, "limited", 3, kMinuteStart);           // oldest, but limited
  limiter.record_failure("a", at(kMinuteStart + 10));  // oldest unlimited
  limiter.record_failure("a", at(kMinuteStart + 11));
  limiter.record_failure("b", at(kMinuteStart + 12));
  limiter.record_failure("b", at(kMinuteStart + 13));
  limiter.record_failure("c", at(kMinuteStart + 14));  // makes room: "a" goes
  EXPECT_EQ(limiter.size(), 3u);
  const Timestamp now = at(kMinuteStart + 20);
  EXPECT_NE(limiter.retry_after("limited", now), std::nullopt);
  limiter.record_failure("b", now);  // held: its third failure limits it
  EXPECT_NE(limiter.retry_after("b", now), std::nullopt);
  // "a" was forgotten: one more failure does not limit it.
  limiter.record_failure("a", now);
  EXPECT_EQ(limiter.retry_after("a", now), std::nullopt);
}

TEST(FailureLimiterTest, DropsPastWindowsBeforeRecentOnes) {
  FailureLimiter limiter(1, 2);
  limiter.record_failure("old", at(kMinuteStart));
  limiter.record_failure("current", at(kMinuteStart + 120));
  limiter.record_failure("new", at(kMinuteStart + 121));
  EXPECT_NE(limiter.retry_after("current", at(kMinuteStart + 122)), std::nullopt);
  EXPECT_NE(limiter.retry_after("new", at(kMinuteStart + 122)), std::nullopt);
}

// When every key held is limited there is no room, and no key may be
// forgotten: new keys share one overflow window, and are limited by it.
TEST(FailureLimiterTest, NewKeysShareAnOverflowWindowWhileEveryKeyHeldIsLimited) {
  FailureLimiter limiter(2, 3);
  const Timestamp now = at(kMinuteStart + 5);
  for (const char* key : {"k1", "k2", "k3"}) fail(limiter, key, 2, kMinuteStart);
  limiter.record_failure("x", now);
  EXPECT_EQ(limiter.size(), 3u);
  EXPECT_EQ(limiter.retry_after("y", now), std::nullopt);
  limiter.record_failure("y", now);
  EXPECT_NE(limiter.retry_after("z", now), std::nullopt);
  for (const char* key : {"k1", "k2", "k3"}) EXPECT_NE(limiter.retry_after(key, now), std::nullopt);
  // Two minutes on, nothing is limited any more, and new keys are held again.
  const Timestamp later = at(kMinuteStart + 125);
  EXPECT_EQ(limiter.retry_after("z", later), std::nullopt);
  limiter.record_failure("fresh", later);
  limiter.record_failure("fresh", later);
  EXPECT_NE(limiter.retry_after("fresh", later), std::nullopt);
  EXPECT_EQ(limiter.retry_after("other", later), std::nullopt);
}

// Workers record failures of one key at once: none is lost, so the key is
// limited exactly when the count reaches the limit.
TEST(FailureLimiterTest, CountsEveryFailureRecordedFromManyThreads) {
  constexpr int kThreads = 4;
  constexpr int kEach = 250;
  FailureLimiter limiter(kThreads * kEach);
  const Timestamp now = at(kMinuteStart + 5);
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < kEach - 1; ++i) {  // one short each
        limiter.record_failure("shared", now);
        (void)limiter.retry_after("shared", now);
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(limiter.retry_after("shared", now), std::nullopt);
  for (int t = 0; t < kThreads; ++t) limiter.record_failure("shared", now);
  EXPECT_NE(limiter.retry_after("shared", now), std::nullopt);
}

// Workers record failures of many keys at once with the limiter at its
// bound, so that they evict each other's windows meanwhile.
TEST(FailureLimiterTest, StaysWithinItsBoundWithManyThreadsAddingKeys) {
  constexpr int kThreads = 4;
  FailureLimiter limiter(1, 8);
  const Timestamp now = at(kMinuteStart + 5);
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const std::string key = "key-" + std::to_string(t) + "-" + std::to_string(i);
        limiter.record_failure(key, now + std::chrono::seconds(i % 120));
        (void)limiter.retry_after(key, now);
      }
    });
  }
  for (auto& worker : workers) worker.join();
  // Never more keys than its bound; every key was limited at once (limit
  // 1), so the ones that found no room were counted in the shared overflow
  // window instead of pushing a limited key out.
  EXPECT_LE(limiter.size(), 8u);
  limiter.record_failure("last", now);
  EXPECT_NE(limiter.retry_after("last", now), std::nullopt);
}

}  // namespace
}  // namespace tessera::domain
