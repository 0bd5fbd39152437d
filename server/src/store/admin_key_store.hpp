#pragma once

#include <optional>
#include <string>

#include "domain/types.hpp"

namespace tessera::store {

struct StoredAdminKey {
  std::string key_hash;                    // keyed BLAKE2b of the key's secret part
  std::optional<domain::TenantId> tenant;  // nullopt: superadmin
};

struct CreatedAdminKey {
  domain::AdminKeyId id;
  domain::Timestamp created_at;
};

// Admin keys: a global lookup table (no tenant in the key).
class AdminKeyStore {
 public:
  virtual ~AdminKeyStore() = default;
  // `actor` is nullopt for the bootstrap key made by `tessera admin-key create`.
  virtual CreatedAdminKey create(const std::string& name, std::optional<domain::TenantId> tenant,
                                 const std::string& key_hash,
                                 const std::optional<domain::Actor>& actor) = 0;
  virtual std::optional<StoredAdminKey> find_active(domain::AdminKeyId id) = 0;
  // Records use, at most once a minute per key (no write per request).
  virtual void touch(domain::AdminKeyId id) = 0;
};

}  // namespace tessera::store
