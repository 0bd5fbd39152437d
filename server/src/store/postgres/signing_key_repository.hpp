#pragma once

#include "store/postgres/pool.hpp"
#include "store/signing_key_store.hpp"

namespace tessera::store::postgres {

class SigningKeyRepository : public SigningKeyStore {
 public:
  explicit SigningKeyRepository(Pool& pool) : pool_(pool) {}

  std::vector<SigningKeyInfo> list_signing_keys(domain::TenantId tenant) override;
  std::vector<SigningKeyInfo> rotate_signing_keys(domain::TenantId tenant,
                                                  const MakeSigningKey& make_key,
                                                  const domain::Actor& actor) override;

 private:
  Pool& pool_;
};

}  // namespace tessera::store::postgres
