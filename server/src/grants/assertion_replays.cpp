#include "grants/assertion_replays.hpp"

namespace tessera::grants {

bool AssertionReplays::first_use(domain::TenantId tenant, const std::string& client_id,
                                 const std::string& jti, domain::Timestamp expires_at,
                                 domain::Timestamp now) {
  std::lock_guard lock(mutex_);
  if (seen_.size() >= limit_) {
    for (auto it = seen_.begin(); it != seen_.end();) {
      it = it->second <= now ? seen_.erase(it) : std::next(it);
    }
    // Still full of live assertions: forget them all rather than grow; the
    // database's primary key still refuses their replays.
    if (seen_.size() >= limit_) seen_.clear();
  }
  auto [it, inserted] = seen_.try_emplace({tenant.value, client_id, jti}, expires_at);
  if (inserted) return true;
  if (it->second <= now) {  // an expired entry not swept yet
    it->second = expires_at;
    return true;
  }
  return false;
}

}  // namespace tessera::grants
