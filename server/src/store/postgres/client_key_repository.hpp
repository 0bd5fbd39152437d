#pragma once

#include <pqxx/pqxx>

#include "store/client_key_store.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {

class ClientKeyRepository : public ClientKeyStore {
 public:
  explicit ClientKeyRepository(Pool& pool) : pool_(pool) {}

  std::vector<ClientKeyInfo> list_keys(domain::TenantId tenant,
                                       const domain::ClientId& client) override;
  ClientKeyInfo add_key(domain::TenantId tenant, const domain::ClientId& client,
                        const NewClientKey& key, const domain::Actor& actor) override;
  void remove_key(domain::TenantId tenant, const domain::ClientId& client, std::int64_t key,
                  const domain::Actor& actor) override;

 private:
  Pool& pool_;
};

// Registers one key in `tx` and audits it (client.key.add): for add_key and
// for the keys a client is created with. A duplicate thumbprint is a
// pqxx::unique_violation (rethrow_as_conflict names it).
ClientKeyInfo insert_client_key(pqxx::work& tx, domain::TenantId tenant,
                                const domain::ClientId& client, const NewClientKey& key,
                                const domain::Actor& actor);

}  // namespace tessera::store::postgres
