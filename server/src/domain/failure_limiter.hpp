#pragma once

#include <chrono>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "domain/types.hpp"

namespace tessera::domain {

// Counts failed authentications per key (a client id, a source address) in
// one-minute windows (SPEC §6). A key is limited until the window ends once
// the current window holds `limit` failures, or the current and the previous
// window together hold 2 × limit − limit / 10 (95 for 50): any 60 seconds span at most two
// windows, so with limit 50 the limit engages before the 100th failure in
// any minute, while 20 failures a minute are always tolerated.
//
// Memory is bounded by `max_keys`, and a flood of new keys must never reset
// a limited one (that would reopen brute force on it). When full, the keys
// whose last failure is oldest go first, but only keys that are not limited;
// if every key held is limited, a new key is counted in one shared overflow
// window instead, which every key not held is then limited by. Making room
// is an occasional sweep, not a cost on every failure.
class FailureLimiter {
 public:
  explicit FailureLimiter(int limit = 50, std::size_t max_keys = 100'000)
      : limit_(limit), max_keys_(max_keys) {}

  // Seconds until the key may try again (1–60), or nullopt when not limited.
  std::optional<int> retry_after(const std::string& key, Timestamp now);
  void record_failure(const std::string& key, Timestamp now);

  // Keys held (not counting the overflow window).
  std::size_t size();
  // Keys held that are limited at `now` (for /metrics; walks every key).
  std::size_t limited_keys(Timestamp now);

 private:
  struct Window {
    std::int64_t minute = 0;
    int failures = 0;
    int previous = 0;  // failures of the minute before `minute`
  };
  struct Entry {
    Window window;
    std::list<std::string>::iterator age;  // position in oldest_
  };
  static std::int64_t minute_of(Timestamp now);
  bool limited(const Window& window, std::int64_t minute) const;
  static void count(Window& window, std::int64_t minute);
  // Evicts unlimited keys, oldest first, down to 90% of max_keys; false when
  // nothing could go.
  bool make_room(std::int64_t minute);

  const int limit_;
  const std::size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> oldest_;  // keys by last failure, oldest first
  Window overflow_;
  // A sweep found only limited keys: none can leave before this minute, so
  // new keys go straight to the overflow window until then.
  std::int64_t full_until_minute_ = 0;
};

}  // namespace tessera::domain
