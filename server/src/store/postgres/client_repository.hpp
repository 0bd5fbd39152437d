#pragma once

#include "store/client_store.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {

class ClientRepository : public ClientStore, public GrantStore {
 public:
  explicit ClientRepository(Pool& pool) : pool_(pool) {}

  domain::Client create(domain::TenantId tenant, const NewClient& client,
                        const domain::Actor& actor) override;
  std::optional<domain::Client> find(domain::TenantId tenant, const domain::ClientId& id) override;
  domain::Page<domain::Client> list(domain::TenantId tenant,
                                    const std::optional<std::string>& after, int limit) override;
  domain::Client update(domain::TenantId tenant, const domain::ClientId& id,
                        const ClientPatch& patch, const domain::Actor& actor) override;
  void remove(domain::TenantId tenant, const domain::ClientId& id,
              const domain::Actor& actor) override;

  std::vector<domain::Grant> list(domain::TenantId tenant, const domain::ClientId& client) override;
  domain::Grant put(domain::TenantId tenant, const domain::ClientId& client, domain::ApiId api,
                    const std::vector<std::string>& scopes, const nlohmann::json& claims,
                    const domain::Actor& actor) override;
  bool remove(domain::TenantId tenant, const domain::ClientId& client, domain::ApiId api,
              const domain::Actor& actor) override;

 private:
  Pool& pool_;
};

}  // namespace tessera::store::postgres
