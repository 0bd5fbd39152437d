#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/ed25519.hpp"
#include "crypto/key_ring.hpp"
#include "crypto/pkey.hpp"
#include "domain/models.hpp"

namespace tessera::crypto {

// A fresh signing key of `alg` for a tenant, its private half sealed with the
// current sealing sub-key (whose master key's number it records) and bound
// to tenant id and kid (SPEC §5). Ed25519 keys are
// libsodium's; ES256 (P-256) and RS256 (RSA 2048) keys OpenSSL's, their
// private half sealed as DER PKCS#8 and their public half stored as DER
// SubjectPublicKeyInfo.
domain::NewSigningKey make_signing_key(const SubKeyRing& seal_keys, domain::TenantId tenant,
                                       domain::SigningAlg alg, domain::SigningKeyState state);
// An Ed25519 key.
domain::NewSigningKey make_signing_key(const SubKeyRing& seal_keys, domain::TenantId tenant,
                                       domain::SigningKeyState state);

// The associated data that binds a sealed signing key to its row.
std::string signing_key_associated_data(domain::TenantId tenant, const std::string& kid);

// The private half of an Ed25519 signing key, opened straight into guarded
// memory; nullopt when it does not open (tampered with, sealed for another
// tenant or kid, or with another master key).
std::optional<Ed25519SecretKey> open_signing_key(const SubKey& seal_key, domain::TenantId tenant,
                                                 const std::string& kid,
                                                 std::string_view sealed_private_key);

// The private half of an ES256 or RS256 signing key, opened and read into an
// OpenSSL key (the DER in between is wiped); nullopt when it does not open or
// is not a key of `alg`.
std::optional<PrivatePkey> open_pkey_signing_key(const SubKey& seal_key, domain::TenantId tenant,
                                                 domain::SigningAlg alg, const std::string& kid,
                                                 std::string_view sealed_private_key);

}  // namespace tessera::crypto
