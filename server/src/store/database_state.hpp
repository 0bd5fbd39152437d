#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace tessera::store {

// Whether the database answered last, for /readyz (SPEC §6: answered from a
// state refreshed at least every second and updated at once by any database
// success or failure). Reading it costs no I/O and no lock, so /readyz is
// answered on the reactor thread, even while every worker waits.
//
// A success counts for `fresh_for` only: a database that stops answering
// without an error (a partition, no RST) leaves the probe's query hanging,
// and then no news is bad news.
class DatabaseState {
 public:
  using Clock = std::chrono::steady_clock;
  explicit DatabaseState(Clock::duration fresh_for = std::chrono::seconds(3))
      : fresh_for_(fresh_for.count()), last_success_(Clock::now().time_since_epoch().count()) {}

  bool reachable() const {
    if (failed_.load(std::memory_order_relaxed)) return false;
    const auto age =
        Clock::now().time_since_epoch().count() - last_success_.load(std::memory_order_relaxed);
    return age < fresh_for_;
  }
  void record(bool reachable) {
    if (reachable)
      last_success_.store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
    failed_.store(!reachable, std::memory_order_relaxed);
  }

 private:
  const Clock::rep fresh_for_;
  std::atomic<Clock::rep> last_success_;
  std::atomic<bool> failed_{false};
};

}  // namespace tessera::store
