#pragma once

#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "domain/types.hpp"

namespace tessera::grants {

// The client assertions (RFC 7523 §3, jti) this instance has accepted, until
// they expire. A replay to the same instance is refused at authentication,
// before anything else is done for it; one to another instance is refused
// when its token record is committed, by the primary key of
// client_assertion_jtis that the record's statement also inserts into.
class AssertionReplays {
 public:
  explicit AssertionReplays(std::size_t limit = 100'000) : limit_(limit) {}

  // True the first time (tenant, client, jti) is offered before it expires.
  bool first_use(domain::TenantId tenant, const std::string& client_id, const std::string& jti,
                 domain::Timestamp expires_at, domain::Timestamp now);

 private:
  using Key = std::tuple<std::int64_t, std::string, std::string>;
  const std::size_t limit_;
  std::mutex mutex_;
  std::map<Key, domain::Timestamp> seen_;  // -> expires_at
};

}  // namespace tessera::grants
