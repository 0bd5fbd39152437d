#pragma once

#include "store/postgres/pool.hpp"
#include "store/tenant_store.hpp"

namespace tessera::store::postgres {

class TenantRepository : public TenantStore {
 public:
  explicit TenantRepository(Pool& pool) : pool_(pool) {}

  domain::Tenant create(const NewTenant& tenant, const MakeSigningKey& make_key,
                        const domain::Actor& actor) override;
  std::optional<domain::Tenant> find_by_slug(const std::string& slug) override;
  domain::Page<domain::Tenant> list(std::optional<domain::TenantId> only,
                                    std::optional<std::int64_t> after, int limit) override;
  domain::Tenant update(domain::TenantId id, const TenantPatch& patch,
                        const MakeSigningKey& make_key, const domain::Actor& actor,
                        const std::string& action) override;

 private:
  Pool& pool_;
};

}  // namespace tessera::store::postgres
