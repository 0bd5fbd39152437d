#pragma once

#include "store/admin_key_store.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {

class AdminKeyRepository : public AdminKeyStore {
 public:
  explicit AdminKeyRepository(Pool& pool) : pool_(pool) {}

  CreatedAdminKey create(const std::string& name, std::optional<domain::TenantId> tenant,
                         const std::string& key_hash, domain::MasterKeyId master_key,
                         const std::optional<domain::Actor>& actor) override;
  std::optional<StoredAdminKey> find_active(domain::AdminKeyId id) override;
  void touch(domain::AdminKeyId id) override;
  void rehash(domain::AdminKeyId id, domain::MasterKeyId from, const std::string& key_hash,
              domain::MasterKeyId to) override;
  domain::Page<AdminKeyInfo> list(std::optional<domain::TenantId> only,
                                  std::optional<std::int64_t> after, int limit) override;
  std::optional<AdminKeyInfo> find(domain::AdminKeyId id) override;
  void revoke(domain::AdminKeyId id, const domain::Actor& actor) override;

 private:
  Pool& pool_;
};

}  // namespace tessera::store::postgres
