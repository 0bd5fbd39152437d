#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>

#include "crypto/key_ring.hpp"
#include "domain/token_views.hpp"

namespace tessera::grants {

// Checks a presented client secret (RFC 6749 §2.3.1). Generated secrets cost
// one keyed BLAKE2b: computed once per attempt, also for an unknown client,
// so unknown and wrong answer in the same time. Imported secrets need
// Argon2id (tens of milliseconds); once one verified, a keyed hash of it is
// remembered in process so it is not re-checked on every request.
//
// A generated secret's hash is checked with the sub-key of the master key
// that made it (master-key rotation); one made by a previous key costs a
// second keyed hash and, verified, is to be stored again under the current
// key (Result::rehash). One made by a key no longer configured never
// verifies.
class ClientAuthenticator {
 public:
  explicit ClientAuthenticator(crypto::SubKeyRing secret_keys) : keys_(std::move(secret_keys)) {}

  struct Result {
    enum class Outcome { ok, failed, needs_slow_check } outcome = Outcome::failed;
    domain::SecretId secret_id{};
    std::optional<domain::SecretRehash> rehash;  // ok under a previous master key
  };

  // The fast path; `client` is null for an unknown client id. An imported
  // secret not yet remembered gives needs_slow_check.
  Result check_fast(const domain::ClientView* client, const std::string& presented,
                    domain::Timestamp now);

  // Argon2id over the client's usable imported secrets; remembers a success.
  Result check_slow(const domain::ClientView& client, const std::string& presented,
                    domain::Timestamp now);

  // Forgets remembered imported secrets (a secret was revoked or rotated).
  void forget(domain::TenantId tenant, const std::string& client_id);

 private:
  using Key = std::tuple<std::int64_t, std::string, std::int64_t>;  // tenant, client, secret
  const crypto::SubKeyRing keys_;
  std::mutex mutex_;
  std::map<Key, std::string> verified_;  // keyed hash of the verified imported secret
};

}  // namespace tessera::grants
