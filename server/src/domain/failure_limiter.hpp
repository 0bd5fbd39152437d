#pragma once

#include <chrono>
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
class FailureLimiter {
 public:
  explicit FailureLimiter(int limit = 50, std::size_t max_keys = 100'000)
      : limit_(limit), max_keys_(max_keys) {}

  // Seconds until the key may try again (1–60), or nullopt when not limited.
  std::optional<int> retry_after(const std::string& key, Timestamp now);
  void record_failure(const std::string& key, Timestamp now);

 private:
  struct Window {
    std::int64_t minute = 0;
    int failures = 0;
    int previous = 0;  // failures of the minute before `minute`
  };
  static std::int64_t minute_of(Timestamp now);

  const int limit_;
  const std::size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace tessera::domain
