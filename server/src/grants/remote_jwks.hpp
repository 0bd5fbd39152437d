#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "crypto/public_jwk.hpp"
#include "domain/types.hpp"

namespace tessera::grants {

// The keys clients publish at their jwks_uri (private_key_jwt), fetched on
// a worker thread and kept for a while, so that an assertion is verified
// without a fetch almost always.
//
// A set is kept `fresh_for` (5 minutes) after it was fetched; a fetch that
// failed (unreachable, refused address, not a JWK Set) is remembered as an
// empty set for `failed_for` (30 s), so that a dead or hostile URI costs
// one fetch per 30 s, not one per request. A client that rotates its keys
// is heard within `fresh_for`; an assertion signed with a key not in the
// kept set makes one early refetch at most every `failed_for`.
class RemoteJwks {
 public:
  // Returns the document's body, or nullopt when it could not be fetched.
  using Fetch = std::function<std::optional<std::string>(const std::string& uri)>;

  explicit RemoteJwks(Fetch fetch, std::chrono::seconds fresh_for = std::chrono::minutes(5),
                      std::chrono::seconds failed_for = std::chrono::seconds(30))
      : fetch_(std::move(fetch)), fresh_for_(fresh_for), failed_for_(failed_for) {}

  using Keys = std::shared_ptr<const std::vector<crypto::PublicJwk>>;

  // The kept keys of `uri`, or null when none are kept (or they are stale):
  // a worker must fetch().
  Keys cached(const std::string& uri, domain::Timestamp now);
  // Whether a refetch is allowed now for a set that did not verify an
  // assertion (the last fetch is older than `failed_for`).
  bool may_refetch(const std::string& uri, domain::Timestamp now);
  // Fetches (blocking: a worker's job), keeps and returns the keys; an
  // empty set when the fetch failed. While another fetch of `uri` is under
  // way, or one started less than `failed_for` ago, it fetches nothing and
  // returns the keys kept (stale ones too; empty when there are none).
  Keys fetch(const std::string& uri, domain::Timestamp now);

  // The keys of a JWK Set document ({"keys": [...]}), those that read as
  // public signing keys (crypto::read_public_jwk); at most 20.
  static std::vector<crypto::PublicJwk> read_jwk_set(const std::string& document);

 private:
  struct Entry {
    Keys keys;                     // null until a fetch has ended
    domain::Timestamp fetched_at;  // when the last fetch started
    domain::Timestamp fresh_until;
    bool fetching = false;
  };
  Fetch fetch_;
  const std::chrono::seconds fresh_for_;
  const std::chrono::seconds failed_for_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace tessera::grants
