// Who calls the admin API: the admin key behind an Authorization header
// (SPEC §4). The admin routes and token introspection both ask it.
#pragma once

#include <optional>
#include <string>

#include "crypto/key_ring.hpp"
#include "domain/types.hpp"
#include "store/admin_key_store.hpp"

namespace tessera::admin {

// A valid admin key: who acts, and whether the key's tenant is disabled (a
// valid key of a disabled tenant is refused with 403, not 401: SPEC §4).
struct AuthenticatedKey {
  domain::Actor actor;
  bool tenant_disabled = false;
};

// The key behind an "Authorization: Bearer <admin key>" header, or nullopt
// for a missing, malformed, unknown or revoked key (all answered alike). The
// stored hash is checked with the sub-key of the master key that made it; a
// key made by a previous master key is stored again under the current one
// once it verifies, one made by a master key no longer configured fails.
std::optional<AuthenticatedKey> authenticate_admin_key(
    store::AdminKeyStore& store, const crypto::SubKeyRing& hash_keys,
    const std::optional<std::string>& authorization);

// Its actor only, for callers that judge a disabled tenant themselves
// (introspection: a disabled tenant's tokens are inactive anyway).
std::optional<domain::Actor> authenticate_admin(store::AdminKeyStore& store,
                                                const crypto::SubKeyRing& hash_keys,
                                                const std::optional<std::string>& authorization);

}  // namespace tessera::admin
