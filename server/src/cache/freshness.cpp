#include "cache/freshness.hpp"

namespace tessera::cache {
namespace {

Freshness::Clock::rep ticks(Freshness::Clock::time_point at) {
  return at.time_since_epoch().count();
}

void raise_to(std::atomic<Freshness::Clock::rep>& value, Freshness::Clock::rep wanted) {
  auto seen = value.load();
  while (seen < wanted && !value.compare_exchange_weak(seen, wanted)) {
  }
}

}  // namespace

Freshness::Freshness(std::chrono::milliseconds max_age, std::chrono::milliseconds silence_limit,
                     Now now)
    : max_age_(max_age), silence_limit_(silence_limit), now_(std::move(now)) {}

// A century: as good as forever, and far from overflowing the clock.
Freshness::Freshness(Unconditional)
    : max_age_(std::chrono::hours(24 * 365 * 100)),
      silence_limit_(max_age_),
      now_(&Clock::now),
      vouching_(false) {}

Freshness& Freshness::unconditional() {
  static Freshness always{Unconditional{}};
  return always;
}

bool Freshness::trusted(Clock::time_point now) const {
  if (!vouching_) return true;
  const auto confirmed = confirmed_.load(std::memory_order_acquire);
  return confirmed >= required_.load(std::memory_order_acquire) &&
         ticks(now) - confirmed <= silence_limit_.count();
}

void Freshness::confirm(Clock::time_point sent_at) {
  raise_to(confirmed_, ticks(sent_at));
}

void Freshness::lose(Clock::time_point at) {
  // Strictly after `at`: a heartbeat sent at the very instant proves nothing.
  raise_to(required_, ticks(at) + 1);
}

Freshness::Clock::time_point Freshness::confirmed() const {
  return Clock::time_point(Clock::duration(confirmed_.load()));
}

}  // namespace tessera::cache
