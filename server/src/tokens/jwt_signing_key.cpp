#include "tokens/jwt_signing_key.hpp"

#include <algorithm>
#include <exception>

#include "crypto/signing_keys.hpp"
#include "grants/client_credentials.hpp"
#include "tokens/public_jwk.hpp"

namespace tessera::tokens {
namespace {

// Whether a token of this tenant can be a JWT signed with `alg`: the rules
// the token endpoint applies (grants::effective_format, effective_signing_alg),
// for any of its APIs.
bool signs_jwt_with(const domain::TenantView& tenant, domain::SigningAlg alg) {
  return std::any_of(tenant.apis.begin(), tenant.apis.end(), [&](const domain::Api& api) {
    return grants::effective_format(api, tenant.tenant) == domain::TokenFormat::jwt &&
           grants::effective_signing_alg(api, tenant.tenant) == alg;
  });
}

// A stored key that does not read is left out of the JWKS and verifies
// nothing; the schema's checks make that unlikely, and it must not take the
// tenant's other keys with it.
void read_public_half(domain::PublishedKey& key) {
  key.jwk_members = public_jwk_members(key.alg, key.public_key);
  if (key.alg != domain::SigningAlg::eddsa && !key.jwk_members.is_null()) {
    key.public_pkey = crypto::PublicPkey::from_der(key.alg, key.public_key);
  }
}

void open_private_half(const crypto::SubKey& seal_key, domain::TenantId tenant,
                       domain::PublishedKey& key) {
  try {
    if (key.alg == domain::SigningAlg::eddsa) {
      key.private_key = crypto::open_signing_key(seal_key, tenant, key.kid, key.sealed_private_key);
    } else {
      key.private_pkey =
          crypto::open_pkey_signing_key(seal_key, tenant, key.alg, key.kid, key.sealed_private_key);
    }
  } catch (const std::exception&) {
    // No guarded memory left (sodium_malloc, mprotect) or OpenSSL's memory:
    // as a key that does not open.
    key.private_key.reset();
    key.private_pkey.reset();
  }
}

}  // namespace

void open_jwt_signing_keys(const crypto::SubKeyRing& seal_keys, domain::TenantView& tenant) {
  for (auto& key : tenant.keys) {
    try {
      read_public_half(key);
    } catch (const std::exception&) {
      key.public_pkey.reset();  // as a key that does not read
      key.jwk_members = nullptr;
    }
    if (key.state == domain::SigningKeyState::active && signs_jwt_with(tenant, key.alg)) {
      // Sealed with a master key no longer configured: as a key that does
      // not open (`tessera rekey` re-seals keys before a key is dropped).
      if (const auto* seal_key = seal_keys.find(key.master_key)) {
        open_private_half(*seal_key, tenant.tenant.id, key);
      }
    }
  }
}

}  // namespace tessera::tokens
