#include "grants/jti_replays.hpp"

namespace tessera::grants {

bool JtiReplays::first_use(domain::TenantId tenant, const std::string& client_id,
                           const std::string& jti, domain::Timestamp expires_at,
                           domain::Timestamp now) {
  std::lock_guard lock(mutex_);
  Key key{tenant.value, client_id, jti};
  // A jti still remembered is a replay, however full the guard is: room is
  // made only for a new one.
  if (const auto it = seen_.find(key); it != seen_.end()) {
    if (it->second > now) return false;
    it->second = expires_at;  // an expired entry not swept yet
    return true;
  }
  if (seen_.size() >= limit_) {
    for (auto it = seen_.begin(); it != seen_.end();) {
      it = it->second <= now ? seen_.erase(it) : std::next(it);
    }
    // Still more than half full of live ones: forget them all rather than
    // grow, or than sweep again a few jtis later (each sweep frees at least
    // half the room, so sweeping stays O(1) per jti). The database's
    // primary key still refuses their replays.
    if (seen_.size() > limit_ / 2) seen_.clear();
  }
  seen_.emplace(std::move(key), expires_at);
  return true;
}

}  // namespace tessera::grants
