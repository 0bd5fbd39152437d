#pragma once

#include "store/postgres/pool.hpp"
#include "store/token_status_store.hpp"

namespace tessera::store::postgres {

class TokenStatusRepository : public TokenStatusStore {
 public:
  explicit TokenStatusRepository(Pool& pool) : pool_(pool) {}
  std::optional<TokenStatus> find_status(domain::TenantId tenant, const crypto::Uuid& id) override;
  void revoke(domain::TenantId tenant, const crypto::Uuid& id) override;

 private:
  Pool& pool_;
};

}  // namespace tessera::store::postgres
