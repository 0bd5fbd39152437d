#include "grants/remote_jwks.hpp"

#include <nlohmann/json.hpp>

namespace tessera::grants {
namespace {
constexpr std::size_t kMaxKeys = 20;
// Distinct URIs kept; past it the cache starts over (each URI is one
// client's, and only clients that authenticated put one here).
constexpr std::size_t kMaxEntries = 10'000;
}  // namespace

RemoteJwks::Keys RemoteJwks::cached(const std::string& uri, domain::Timestamp now) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(uri);
  if (it == entries_.end() || !it->second.keys || it->second.fresh_until <= now) return nullptr;
  return it->second.keys;
}

bool RemoteJwks::may_refetch(const std::string& uri, domain::Timestamp now) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(uri);
  return it == entries_.end() ||
         (!it->second.fetching && it->second.fetched_at + failed_for_ <= now);
}

RemoteJwks::Keys RemoteJwks::fetch(const std::string& uri, domain::Timestamp now) {
  static const Keys kNone = std::make_shared<const std::vector<crypto::PublicJwk>>();
  {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxEntries && entries_.count(uri) == 0) entries_.clear();
    auto& entry = entries_[uri];
    // One fetch of a URI at a time, and at most one per `failed_for`:
    // requests that meet one under way, or one just made, go on with the
    // keys kept (stale ones included), so that a burst of requests, or a
    // stranger's burst of bad assertions, costs one outbound fetch, not
    // one per request on the workers everyone shares.
    if (entry.fetching || (entry.keys && entry.fetched_at + failed_for_ > now)) {
      return entry.keys ? entry.keys : kNone;
    }
    entry.fetching = true;
    entry.fetched_at = now;
  }
  const auto document = fetch_(uri);
  auto keys = std::make_shared<const std::vector<crypto::PublicJwk>>(
      document ? read_jwk_set(*document) : std::vector<crypto::PublicJwk>{});
  const auto keep_for = keys->empty() ? failed_for_ : fresh_for_;
  std::lock_guard lock(mutex_);
  auto& entry = entries_[uri];
  entry.keys = keys;
  entry.fresh_until = now + keep_for;
  entry.fetching = false;
  return keys;
}

std::vector<crypto::PublicJwk> RemoteJwks::read_jwk_set(const std::string& document) {
  const auto set = nlohmann::json::parse(document, nullptr, false);
  std::vector<crypto::PublicJwk> keys;
  if (!set.is_object()) return keys;
  const auto it = set.find("keys");
  if (it == set.end() || !it->is_array()) return keys;
  for (const auto& jwk : *it) {
    if (keys.size() == kMaxKeys) break;
    auto read = crypto::read_public_jwk(jwk);
    if (auto* key = std::get_if<crypto::PublicJwk>(&read)) keys.push_back(std::move(*key));
  }
  return keys;
}

}  // namespace tessera::grants
