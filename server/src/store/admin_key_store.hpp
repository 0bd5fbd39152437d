#pragma once

#include <optional>
#include <string>

#include "domain/models.hpp"

namespace tessera::store {

struct StoredAdminKey {
  std::string key_hash;  // keyed BLAKE2b of the key's secret part
  domain::MasterKeyId master_key = domain::kFirstMasterKey;  // whose sub-key keyed it
  std::optional<domain::TenantId> tenant;                    // nullopt: superadmin
  // Read with the key, in the same query: a disabled tenant's keys must stop
  // at once (SPEC §4), and admin-key lookups are not cached.
  bool tenant_disabled = false;
};

struct CreatedAdminKey {
  domain::AdminKeyId id;
  domain::Timestamp created_at;
};

// An admin key as listed (never its hash).
struct AdminKeyInfo {
  domain::AdminKeyId id;
  std::string name;
  std::optional<std::string> tenant_slug;  // nullopt: superadmin
  std::optional<domain::TenantId> tenant;
  domain::Timestamp created_at;
  std::optional<domain::Timestamp> last_used_at;
};

// Admin keys: a global lookup table (no tenant in the key).
class AdminKeyStore {
 public:
  virtual ~AdminKeyStore() = default;
  // `actor` is nullopt for the bootstrap key made by `tessera admin-key create`.
  // `key_hash` is keyed by the sub-key of master key `master_key`.
  virtual CreatedAdminKey create(const std::string& name, std::optional<domain::TenantId> tenant,
                                 const std::string& key_hash, domain::MasterKeyId master_key,
                                 const std::optional<domain::Actor>& actor) = 0;
  // An unrevoked key, with its tenant's status.
  virtual std::optional<StoredAdminKey> find_active(domain::AdminKeyId id) = 0;
  // Records use, at most once a minute per key (no write per request).
  virtual void touch(domain::AdminKeyId id) = 0;
  // Master-key rotation: replaces a key's hash made under master key `from`
  // by one made under `to`; nothing if the key's hash has changed since.
  virtual void rehash(domain::AdminKeyId id, domain::MasterKeyId from, const std::string& key_hash,
                      domain::MasterKeyId to) = 0;
  // Active keys; `only` restricts to one tenant's keys (a tenant key's view).
  virtual domain::Page<AdminKeyInfo> list(std::optional<domain::TenantId> only,
                                          std::optional<std::int64_t> after, int limit) = 0;
  virtual std::optional<AdminKeyInfo> find(domain::AdminKeyId id) = 0;
  virtual void revoke(domain::AdminKeyId id, const domain::Actor& actor) = 0;
};

}  // namespace tessera::store
