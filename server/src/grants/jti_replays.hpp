#pragma once

#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "domain/types.hpp"

namespace tessera::grants {

// The one-time JWTs this instance has accepted, by jti, until they expire:
// client assertions (RFC 7523 §3) in one, DPoP proofs (RFC 9449 §11.1) in
// another. A replay to the same instance is refused at once, before
// anything else is done for it; one to another instance is refused when its
// token record is committed, by the primary key of client_assertion_jtis
// or dpop_proof_jtis that the record's statement also inserts into.
class JtiReplays {
 public:
  explicit JtiReplays(std::size_t limit = 100'000) : limit_(limit) {}

  // True the first time (tenant, client, jti) is offered before it expires.
  // At most `limit` jtis are held: when full, expired ones are swept, and
  // if that frees less than half, all are forgotten.
  bool first_use(domain::TenantId tenant, const std::string& client_id, const std::string& jti,
                 domain::Timestamp expires_at, domain::Timestamp now);

 private:
  using Key = std::tuple<std::int64_t, std::string, std::string>;
  const std::size_t limit_;
  std::mutex mutex_;
  std::map<Key, domain::Timestamp> seen_;  // -> expires_at
};

}  // namespace tessera::grants
