#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/ed25519.hpp"
#include "crypto/master_key.hpp"
#include "domain/models.hpp"

namespace tessera::crypto {

// A fresh Ed25519 signing key for a tenant, its private half sealed with the
// sealing sub-key and bound to tenant id and kid (SPEC §5).
domain::NewSigningKey make_signing_key(const SubKey& seal_key, domain::TenantId tenant,
                                       domain::SigningKeyState state);

// The associated data that binds a sealed signing key to its row.
std::string signing_key_associated_data(domain::TenantId tenant, const std::string& kid);

// The private half of a signing key, opened straight into guarded memory;
// nullopt when it does not open (tampered with, sealed for another tenant
// or kid, or with another master key).
std::optional<Ed25519SecretKey> open_signing_key(const SubKey& seal_key, domain::TenantId tenant,
                                                 const std::string& kid,
                                                 std::string_view sealed_private_key);

}  // namespace tessera::crypto
