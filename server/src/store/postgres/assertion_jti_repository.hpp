#pragma once

#include "store/client_credentials_store.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {

// Client assertion jtis of introspection and revocation requests, stored at
// once (a token request's jti goes in with its record, TokenBatcher).
class AssertionJtiRepository : public AssertionJtiStore {
 public:
  explicit AssertionJtiRepository(Pool& pool) : pool_(pool) {}
  bool claim(domain::TenantId tenant, const std::string& client_id, const std::string& jti,
             domain::Timestamp expires_at) override;

 private:
  Pool& pool_;
};

}  // namespace tessera::store::postgres
