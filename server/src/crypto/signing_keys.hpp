#pragma once

#include "crypto/master_key.hpp"
#include "domain/models.hpp"

namespace tessera::crypto {

// A fresh Ed25519 signing key for a tenant, its private half sealed with the
// sealing sub-key and bound to tenant id and kid (SPEC §5).
domain::NewSigningKey make_signing_key(const SubKey& seal_key, domain::TenantId tenant,
                                       domain::SigningKeyState state);

// The associated data that binds a sealed signing key to its row.
std::string signing_key_associated_data(domain::TenantId tenant, const std::string& kid);

}  // namespace tessera::crypto
