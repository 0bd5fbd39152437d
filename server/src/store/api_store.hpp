#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/models.hpp"
#include "store/signing_key_store.hpp"

namespace tessera::store {

struct NewApi {
  std::string identifier;
  std::string name;
  std::vector<domain::ApiScope> scopes;
  std::optional<int> token_ttl;
  std::optional<domain::TokenFormat> token_format;
  std::optional<domain::SigningAlg> signing_alg;
  bool is_default = false;
};

struct ApiPatch {
  std::optional<std::string> name;
  std::optional<std::vector<domain::ApiScope>> scopes;  // replaces the set
  std::optional<std::optional<int>> token_ttl;
  std::optional<std::optional<domain::TokenFormat>> token_format;
  std::optional<std::optional<domain::SigningAlg>> signing_alg;
  std::optional<bool> is_default;
};

// APIs (resource servers) of a tenant. Creating, changing and deleting one
// brings the tenant's signing keys in line with the algorithms in use (a
// first API of ES256 gets an active and a next ES256 key). Throws store::Conflict for a taken
// identifier, store::NotFound for an absent or deleted API.
class ApiStore {
 public:
  virtual ~ApiStore() = default;
  virtual domain::Api create(domain::TenantId tenant, const NewApi& api,
                             const MakeSigningKey& make_key, const domain::Actor& actor) = 0;
  virtual std::optional<domain::Api> find_by_id(domain::TenantId tenant, domain::ApiId id) = 0;
  virtual std::optional<domain::Api> find_by_identifier(domain::TenantId tenant,
                                                        const std::string& identifier) = 0;
  virtual domain::Page<domain::Api> list(domain::TenantId tenant, std::optional<std::int64_t> after,
                                         int limit) = 0;
  virtual domain::Api update(domain::TenantId tenant, domain::ApiId id, const ApiPatch& patch,
                             const MakeSigningKey& make_key, const domain::Actor& actor) = 0;
  virtual void remove(domain::TenantId tenant, domain::ApiId id, const MakeSigningKey& make_key,
                      const domain::Actor& actor) = 0;
};

}  // namespace tessera::store
