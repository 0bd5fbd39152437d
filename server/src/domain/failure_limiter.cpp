#include "domain/failure_limiter.hpp"

namespace tessera::domain {

std::int64_t FailureLimiter::minute_of(Timestamp now) {
  return std::chrono::duration_cast<std::chrono::minutes>(now.time_since_epoch()).count();
}

bool FailureLimiter::limited(const Window& window, std::int64_t minute) const {
  int current = 0, previous = 0;
  if (window.minute == minute) {
    current = window.failures;
    previous = window.previous;
  } else if (window.minute == minute - 1) {
    previous = window.failures;
  }
  return current >= limit_ || current + previous >= 2 * limit_ - limit_ / 10;
}

void FailureLimiter::count(Window& window, std::int64_t minute) {
  if (window.minute != minute) {
    window = {minute, 0, window.minute == minute - 1 ? window.failures : 0};
  }
  ++window.failures;
}

std::optional<int> FailureLimiter::retry_after(const std::string& key, Timestamp now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  const Window& window = it != entries_.end() ? it->second.window : overflow_;
  if (!limited(window, minute_of(now))) return std::nullopt;
  const auto seconds_in =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() % 60;
  return static_cast<int>(60 - seconds_in);
}

void FailureLimiter::record_failure(const std::string& key, Timestamp now) {
  std::lock_guard lock(mutex_);
  const auto minute = minute_of(now);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    count(it->second.window, minute);
    oldest_.splice(oldest_.end(), oldest_, it->second.age);
    return;
  }
  if (entries_.size() >= max_keys_ && (minute < full_until_minute_ || !make_room(minute))) {
    count(overflow_, minute);
    return;
  }
  oldest_.push_back(key);
  Entry entry{{}, std::prev(oldest_.end())};
  count(entry.window, minute);
  entries_.emplace(key, entry);
}

bool FailureLimiter::make_room(std::int64_t minute) {
  const std::size_t target = max_keys_ - max_keys_ / 10 - 1;
  for (auto key = oldest_.begin(); key != oldest_.end() && entries_.size() > target;) {
    auto entry = entries_.find(*key);
    if (limited(entry->second.window, minute)) {
      ++key;
      continue;
    }
    entries_.erase(entry);
    key = oldest_.erase(key);
  }
  if (entries_.size() < max_keys_) return true;
  // Every key held is limited, and a limited key stays so for the rest of
  // its window at least: no sweep can succeed before the next minute.
  full_until_minute_ = minute + 1;
  return false;
}

std::size_t FailureLimiter::limited_keys(Timestamp now) {
  std::lock_guard lock(mutex_);
  const auto minute = minute_of(now);
  std::size_t count = 0;
  for (const auto& [key, entry] : entries_) {
    if (limited(entry.window, minute)) ++count;
  }
  return count;
}

std::size_t FailureLimiter::size() {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace tessera::domain
