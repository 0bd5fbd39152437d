#pragma once

#include "crypto/uuid7.hpp"
#include "domain/types.hpp"

namespace tessera::cache {

// Told about every committed token revocation, so introspection stops
// answering `active` for it: at once on this instance, within a second on
// the others (SPEC §5, §6).
class TokenRevocations {
 public:
  virtual ~TokenRevocations() = default;
  virtual void token_revoked(domain::TenantId tenant, const crypto::Uuid& id) = 0;
  // Many of the tenant's tokens at once (revocation by filter).
  virtual void tokens_revoked(domain::TenantId tenant) = 0;
  // The global revocation epoch changed (every token issued before it is
  // inactive).
  virtual void revocation_epoch_changed() = 0;
};

}  // namespace tessera::cache
