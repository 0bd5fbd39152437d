#pragma once

#include <optional>
#include <string>

#include "crypto/uuid7.hpp"
#include "domain/models.hpp"

namespace tessera::store {

// A token record as introspection and revocation read it.
struct TokenStatus {
  std::string client_id;
  domain::ApiId api;
  std::string scope;
  domain::TokenFormat format = domain::TokenFormat::opaque;
  std::string token_hash;                                    // opaque tokens
  domain::MasterKeyId master_key = domain::kFirstMasterKey;  // whose sub-key keyed token_hash
  domain::Timestamp issued_at;
  domain::Timestamp expires_at;
  bool revoked = false;
  std::string dpop_jkt;  // a DPoP-bound token's cnf.jkt (RFC 9449 §6)
};

// RFC 7662 / RFC 7009: the record behind a token. Introspection reads it
// through cache::TokenStatusCache; revocation writes here, then tells every
// instance (cache::TokenRevocations).
class TokenStatusStore {
 public:
  virtual ~TokenStatusStore() = default;
  virtual std::optional<TokenStatus> find_status(domain::TenantId tenant,
                                                 const crypto::Uuid& id) = 0;
  virtual void revoke(domain::TenantId tenant, const crypto::Uuid& id) = 0;
};

}  // namespace tessera::store
