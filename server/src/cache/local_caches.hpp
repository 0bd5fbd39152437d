#pragma once

#include <functional>
#include <string>

#include "cache/directory.hpp"
#include "cache/token_status_cache.hpp"

namespace tessera::cache {

// Everything this process caches for the token path, as one receiver of
// change notices (store/postgres/change_feed.hpp).
class LocalCaches : public Invalidation, public TokenRevocations {
 public:
  // `client_changed` also hears of every client change (the authenticator's
  // remembered imported secrets).
  LocalCaches(Directory& directory, TokenStatusCache& tokens,
              std::function<void(domain::TenantId, const std::string&)> client_changed)
      : directory_(directory), tokens_(tokens), client_changed_(std::move(client_changed)) {}

  void tenant_changed(domain::TenantId tenant) override { directory_.tenant_changed(tenant); }
  void client_changed(domain::TenantId tenant, const std::string& client_id) override {
    directory_.client_changed(tenant, client_id);
    client_changed_(tenant, client_id);
  }
  void tenants_added() override { directory_.tenants_added(); }
  void token_revoked(domain::TenantId tenant, const crypto::Uuid& id) override {
    tokens_.token_revoked(tenant, id);
  }
  void tokens_revoked(domain::TenantId tenant) override { tokens_.tokens_revoked(tenant); }
  void revocation_epoch_changed() override { tokens_.revocation_epoch_changed(); }
  void clear() {
    directory_.clear();
    tokens_.clear();
  }

 private:
  Directory& directory_;
  TokenStatusCache& tokens_;
  std::function<void(domain::TenantId, const std::string&)> client_changed_;
};

}  // namespace tessera::cache
