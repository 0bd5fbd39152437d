#include "tokens/jwt_signing_key.hpp"

#include <algorithm>
#include <exception>

#include "crypto/signing_keys.hpp"
#include "grants/client_credentials.hpp"

namespace tessera::tokens {
namespace {

// Whether a token of this tenant can be a JWT: the format rule the token
// endpoint applies (grants::effective_format), for any of its APIs.
bool issues_jwt(const domain::TenantView& tenant) {
  return std::any_of(tenant.apis.begin(), tenant.apis.end(), [&](const domain::Api& api) {
    return grants::effective_format(api, tenant.tenant) == domain::TokenFormat::jwt;
  });
}

}  // namespace

void open_jwt_signing_key(const crypto::SubKey& seal_key, domain::TenantView& tenant) {
  if (!issues_jwt(tenant)) return;
  for (auto& key : tenant.keys) {
    if (key.state != domain::SigningKeyState::active) continue;
    try {
      key.private_key =
          crypto::open_signing_key(seal_key, tenant.tenant.id, key.kid, key.sealed_private_key);
    } catch (const std::exception&) {
      // No guarded memory left (sodium_malloc, mprotect): as a key that
      // does not open.
      key.private_key.reset();
    }
  }
}

}  // namespace tessera::tokens
