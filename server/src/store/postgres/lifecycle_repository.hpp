#pragma once

#include "store/lifecycle_store.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {

class LifecycleRepository : public SecretStore, public TokenAdminStore, public AuditStore {
 public:
  explicit LifecycleRepository(Pool& pool) : pool_(pool) {}

  std::vector<SecretInfo> list_secrets(domain::TenantId tenant,
                                       const domain::ClientId& client) override;
  SecretInfo rotate_secret(domain::TenantId tenant, const domain::ClientId& client,
                           const std::string& keyed_hash, domain::MasterKeyId master_key,
                           int grace_seconds, const domain::Actor& actor) override;
  void revoke_secret(domain::TenantId tenant, const domain::ClientId& client,
                     domain::SecretId secret, const domain::Actor& actor) override;

  domain::Page<TokenInfo> list_tokens(domain::TenantId tenant, const TokenFilter& filter,
                                      const std::optional<std::string>& after, int limit) override;
  std::optional<TokenInfo> find_token(domain::TenantId tenant, const std::string& id) override;
  bool revoke_token(domain::TenantId tenant, const std::string& id,
                    const domain::Actor& actor) override;
  long revoke_tokens(domain::TenantId tenant, const TokenFilter& filter,
                     const domain::Actor& actor) override;

  domain::Page<AuditEvent> list_audit_events(domain::TenantId tenant,
                                             std::optional<domain::Timestamp> since,
                                             std::optional<std::int64_t> after, int limit) override;

 private:
  Pool& pool_;
};

}  // namespace tessera::store::postgres
