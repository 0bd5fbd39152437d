#pragma once

#include <atomic>
#include <chrono>
#include <functional>

namespace tessera::cache {

// Whether this instance may answer from its in-process caches (SPEC §6).
//
// Entries are used only while the change feed vouches for them: it has
// heard, within `silence_limit`, a heartbeat that it sent itself on its
// listening connection. Notifications arrive in commit order, so hearing a
// heartbeat sent at time T proves that every change committed before T has
// been applied. When the feed is silent for longer (a partition, a stalled
// proxy, a connection that died without a reset) or reports a loss, the
// caches are bypassed, and every lookup reads PostgreSQL, until the feed has
// reconnected, dropped what it held and heard a new heartbeat.
//
// As a backstop against a loss nobody foresaw, no entry is used longer than
// `max_age` after it was loaded (TESSERA_CACHE_MAX_AGE).
class Freshness {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;

  Freshness(std::chrono::milliseconds max_age, std::chrono::milliseconds silence_limit,
            Now now = &Clock::now);

  // Vouches for nothing and lets entries live forever: for caches in tests
  // that are not about freshness.
  static Freshness& unconditional();

  Clock::time_point now() const { return now_(); }
  // Whether cached entries may be used and stored at `now`.
  bool trusted(Clock::time_point now) const;
  // Whether an entry loaded at `loaded_at` may still answer at `now`.
  bool usable(Clock::time_point loaded_at, Clock::time_point now) const {
    return trusted(now) && now - loaded_at < max_age_;
  }

  // The feed heard its heartbeat sent at `sent_at`: every change committed
  // before then has been applied.
  void confirm(Clock::time_point sent_at);
  // Changes committed up to `at` may not have been applied: distrust the
  // caches until a heartbeat sent after `at` is heard.
  void lose(Clock::time_point at);
  // Until when changes are known to be applied (time_point{} if never).
  Clock::time_point confirmed() const;

 private:
  struct Unconditional {};
  explicit Freshness(Unconditional);

  Clock::duration max_age_;
  Clock::duration silence_limit_;
  Now now_;
  bool vouching_ = true;  // false: unconditional()
  std::atomic<Clock::rep> confirmed_{0};
  std::atomic<Clock::rep> required_{1};  // confirmed_ must reach it
};

}  // namespace tessera::cache
