// Admin keys: issuing one, for the /admin-keys routes (admin_keys.cpp) and
// the bootstrap command (`tessera admin-key create`).
#pragma once

#include <optional>
#include <string>

#include "crypto/key_ring.hpp"
#include "domain/types.hpp"
#include "store/admin_key_store.hpp"

namespace tessera::admin {

struct IssuedAdminKey {
  domain::AdminKeyId id;
  std::string key;  // shown once, never stored
  domain::Timestamp created_at;
};

// Creates an admin key: 256 random bits, stored as a keyed hash only.
IssuedAdminKey issue_admin_key(store::AdminKeyStore& store, const crypto::SubKeyRing& hash_keys,
                               const std::string& name, std::optional<domain::TenantId> tenant,
                               const std::optional<domain::Actor>& actor);

}  // namespace tessera::admin
