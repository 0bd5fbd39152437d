#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/models.hpp"
#include "store/signing_key_store.hpp"

namespace tessera::store {

struct NewTenant {
  std::string slug;
  std::string name;
  std::optional<int> default_token_ttl;
  std::optional<domain::TokenFormat> token_format;
  std::optional<domain::SigningAlg> signing_alg;
  std::vector<std::string> domains;  // normalized
};

// A PATCH: each outer optional says whether the field was given; an inner
// nullopt clears a setting.
struct TenantPatch {
  std::optional<std::string> name;
  std::optional<std::optional<int>> default_token_ttl;
  std::optional<std::optional<domain::TokenFormat>> token_format;
  std::optional<std::optional<domain::SigningAlg>> signing_alg;
  std::optional<std::vector<std::string>> domains;
  std::optional<domain::Status> status;
};

// Tenants, for the admin API. Every change writes its audit event in the
// same transaction, and brings the signing keys in line with the algorithms
// in use (a new tenant gets an active and a next key of its algorithm).
// Throws store::Conflict (slug or domain taken).
class TenantStore {
 public:
  virtual ~TenantStore() = default;
  virtual domain::Tenant create(const NewTenant& tenant, const MakeSigningKey& make_key,
                                const domain::Actor& actor) = 0;
  virtual std::optional<domain::Tenant> find_by_slug(const std::string& slug) = 0;
  // `only` restricts the list to one tenant (a tenant admin key).
  virtual domain::Page<domain::Tenant> list(std::optional<domain::TenantId> only,
                                            std::optional<std::int64_t> after, int limit) = 0;
  virtual domain::Tenant update(domain::TenantId id, const TenantPatch& patch,
                                const MakeSigningKey& make_key, const domain::Actor& actor,
                                const std::string& action) = 0;
};

}  // namespace tessera::store
