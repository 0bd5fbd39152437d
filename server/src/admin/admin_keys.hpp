#pragma once

#include <optional>
#include <string>

#include "crypto/master_key.hpp"
#include "domain/types.hpp"
#include "store/admin_key_store.hpp"

namespace tessera::admin {

struct IssuedAdminKey {
  domain::AdminKeyId id;
  std::string key;  // shown once, never stored
  domain::Timestamp created_at;
};

// Creates an admin key: 256 random bits, stored as a keyed hash only.
IssuedAdminKey issue_admin_key(store::AdminKeyStore& store, const crypto::SubKey& hash_key,
                               const std::string& name, std::optional<domain::TenantId> tenant,
                               const std::optional<domain::Actor>& actor);

// A valid admin key: who acts, and whether the key's tenant is disabled (a
// valid key of a disabled tenant is refused with 403, not 401: SPEC §4).
struct AuthenticatedKey {
  domain::Actor actor;
  bool tenant_disabled = false;
};

// The key behind an "Authorization: Bearer <admin key>" header, or nullopt
// for a missing, malformed, unknown or revoked key (all answered alike).
std::optional<AuthenticatedKey> authenticate_admin_key(
    store::AdminKeyStore& store, const crypto::SubKey& hash_key,
    const std::optional<std::string>& authorization);

// Its actor only, for callers that judge a disabled tenant themselves
// (introspection: a disabled tenant's tokens are inactive anyway).
std::optional<domain::Actor> authenticate_admin(store::AdminKeyStore& store,
                                                const crypto::SubKey& hash_key,
                                                const std::optional<std::string>& authorization);

}  // namespace tessera::admin
