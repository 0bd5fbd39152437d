#include "domain/failure_limiter.hpp"

namespace tessera::domain {

std::int64_t FailureLimiter::minute_of(Timestamp now) {
  return std::chrono::duration_cast<std::chrono::minutes>(now.time_since_epoch()).count();
}

std::optional<int> FailureLimiter::retry_after(const std::string& key, Timestamp now) {
  std::lock_guard lock(mutex_);
  auto it = windows_.find(key);
  if (it == windows_.end()) return std::nullopt;
  const auto minute = minute_of(now);
  const auto& window = it->second;
  int current = 0, previous = 0;
  if (window.minute == minute) {
    current = window.failures;
    previous = window.previous;
  } else if (window.minute == minute - 1) {
    previous = window.failures;
  }
  if (current < limit_ && current + previous < 2 * limit_ - limit_ / 10) return std::nullopt;
  const auto seconds_in = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() % 60;
  return static_cast<int>(60 - seconds_in);
}

void FailureLimiter::record_failure(const std::string& key, Timestamp now) {
  std::lock_guard lock(mutex_);
  const auto minute = minute_of(now);
  if (windows_.size() >= max_keys_ && windows_.find(key) == windows_.end()) {
    // Drop windows of past minutes; if all are current, start over rather
    // than grow without bound.
    for (auto it = windows_.begin(); it != windows_.end();) {
      it = it->second.minute != minute ? windows_.erase(it) : std::next(it);
    }
    if (windows_.size() >= max_keys_) windows_.clear();
  }
  auto& window = windows_[key];
  if (window.minute != minute) {
    window = {minute, 0, window.minute == minute - 1 ? window.failures : 0};
  }
  ++window.failures;
}

}  // namespace tessera::domain
