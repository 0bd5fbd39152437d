#pragma once

#include "store/api_store.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {

class ApiRepository : public ApiStore {
 public:
  explicit ApiRepository(Pool& pool) : pool_(pool) {}

  domain::Api create(domain::TenantId tenant, const NewApi& api, const MakeSigningKey& make_key,
                     const domain::Actor& actor) override;
  std::optional<domain::Api> find_by_id(domain::TenantId tenant, domain::ApiId id) override;
  std::optional<domain::Api> find_by_identifier(domain::TenantId tenant,
                                                const std::string& identifier) override;
  domain::Page<domain::Api> list(domain::TenantId tenant, std::optional<std::int64_t> after,
                                 int limit) override;
  domain::Api update(domain::TenantId tenant, domain::ApiId id, const ApiPatch& patch,
                     const MakeSigningKey& make_key, const domain::Actor& actor) override;
  void remove(domain::TenantId tenant, domain::ApiId id, const MakeSigningKey& make_key,
              const domain::Actor& actor) override;

 private:
  Pool& pool_;
};

}  // namespace tessera::store::postgres
