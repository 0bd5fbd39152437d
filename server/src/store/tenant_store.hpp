#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/models.hpp"

namespace tessera::store {

struct NewTenant {
  std::string slug;
  std::string name;
  std::optional<int> default_token_ttl;
  std::optional<domain::TokenFormat> token_format;
  std::vector<std::string> domains;  // normalized
};

// A PATCH: each outer optional says whether the field was given; an inner
// nullopt clears a setting.
struct TenantPatch {
  std::optional<std::string> name;
  std::optional<std::optional<int>> default_token_ttl;
  std::optional<std::optional<domain::TokenFormat>> token_format;
  std::optional<std::vector<std::string>> domains;
  std::optional<domain::Status> status;
};

// Makes the tenant's first signing keys once its id is known (the id is part
// of the sealed keys' associated data).
using MakeSigningKeys = std::function<std::vector<domain::NewSigningKey>(domain::TenantId)>;

// Tenants, for the admin API. Every change writes its audit event in the
// same transaction. Throws store::Conflict (slug or domain taken).
class TenantStore {
 public:
  virtual ~TenantStore() = default;
  virtual domain::Tenant create(const NewTenant& tenant, const MakeSigningKeys& make_keys,
                                const domain::Actor& actor) = 0;
  virtual std::optional<domain::Tenant> find_by_slug(const std::string& slug) = 0;
  // `only` restricts the list to one tenant (a tenant admin key).
  virtual domain::Page<domain::Tenant> list(std::optional<domain::TenantId> only,
                                            std::optional<std::int64_t> after, int limit) = 0;
  virtual domain::Tenant update(domain::TenantId id, const TenantPatch& patch,
                                const domain::Actor& actor, const std::string& action) = 0;
};

}  // namespace tessera::store
