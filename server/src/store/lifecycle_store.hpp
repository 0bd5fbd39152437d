#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/models.hpp"

namespace tessera::store {

// Secret metadata as the admin API shows it (never a hash).
struct SecretInfo {
  domain::SecretId id;
  domain::Timestamp created_at;
  std::optional<domain::Timestamp> expires_at;
  std::optional<domain::Timestamp> revoked_at;
  std::optional<domain::Timestamp> last_used_at;
};

// Client secrets over their life: rotation with a grace period, revocation.
// Throws store::NotFound for an absent client or secret, store::Conflict
// (field "id") for revoking the last valid secret of an active client.
class SecretStore {
 public:
  virtual ~SecretStore() = default;
  virtual std::vector<SecretInfo> list_secrets(domain::TenantId tenant,
                                               const domain::ClientId& client) = 0;
  // Adds a generated secret; every other valid secret then expires after
  // `grace_seconds` (or earlier, if it already expired sooner).
  virtual SecretInfo rotate_secret(domain::TenantId tenant, const domain::ClientId& client,
                                   const std::string& keyed_hash, domain::MasterKeyId master_key,
                                   int grace_seconds, const domain::Actor& actor) = 0;
  virtual void revoke_secret(domain::TenantId tenant, const domain::ClientId& client,
                             domain::SecretId secret, const domain::Actor& actor) = 0;
};

// A token record as the admin API shows it (never the token).
struct TokenInfo {
  std::string id;  // jti (UUID text)
  std::string client_id;
  domain::ApiId api;
  std::string scope;
  domain::TokenFormat format = domain::TokenFormat::opaque;
  domain::Timestamp issued_at;
  domain::Timestamp expires_at;
  std::optional<domain::Timestamp> revoked_at;
};

struct TokenFilter {
  std::optional<std::string> client_id;
  std::optional<bool> active;  // true: neither revoked nor expired at `at`
  domain::Timestamp at{};      // the time `active` is judged at
  std::optional<domain::ApiId> api;
};

class TokenAdminStore {
 public:
  virtual ~TokenAdminStore() = default;
  // Newest first; `after` is the id of the last token of the previous page.
  virtual domain::Page<TokenInfo> list_tokens(domain::TenantId tenant, const TokenFilter& filter,
                                              const std::optional<std::string>& after,
                                              int limit) = 0;
  virtual std::optional<TokenInfo> find_token(domain::TenantId tenant, const std::string& id) = 0;
  // Revokes one token (idempotent); false when there is no such token.
  virtual bool revoke_token(domain::TenantId tenant, const std::string& id,
                            const domain::Actor& actor) = 0;
  // Revokes every active token matching the filter; returns how many.
  virtual long revoke_tokens(domain::TenantId tenant, const TokenFilter& filter,
                             const domain::Actor& actor) = 0;
};

struct AuditEvent {
  std::int64_t id = 0;
  domain::Timestamp time;
  std::optional<std::int64_t> actor_key_id;
  std::string action;
  std::string target_type;
  std::string target_id;
  std::string details_json;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;
  virtual domain::Page<AuditEvent> list_audit_events(domain::TenantId tenant,
                                                     std::optional<domain::Timestamp> since,
                                                     std::optional<std::int64_t> after,
                                                     int limit) = 0;
};

}  // namespace tessera::store
