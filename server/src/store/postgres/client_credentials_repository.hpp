#pragma once

#include "store/client_credentials_store.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {

class ClientCredentialsRepository : public ClientCredentialsStore {
 public:
  explicit ClientCredentialsRepository(Pool& pool) : pool_(pool) {}

  std::optional<domain::TenantView> load_tenant(const std::string& slug) override;
  std::optional<std::string> slug_for_domain(const std::string& domain) override;
  std::optional<domain::ClientView> load_client(domain::TenantId tenant,
                                                const std::string& client_id) override;

 private:
  Pool& pool_;
};

}  // namespace tessera::store::postgres
