#pragma once

#include <string>
#include <vector>

#include "domain/token_views.hpp"
#include "grants/token_request.hpp"

namespace tessera::grants {

// What to issue: decided from the request, the tenant and the client.
struct TokenPlan {
  const domain::Api* api = nullptr;
  std::vector<std::string> scopes;  // sorted by byte value
  int ttl_seconds = 0;
  domain::TokenFormat format = domain::TokenFormat::opaque;
  domain::SigningAlg signing_alg = domain::kDefaultSigningAlg;  // for a JWT
};

// RFC 6749 §4.4, after the client authenticated: checks 4–6 of SPEC §3.1 in
// order (grant type, audience, scope). Throws domain::OAuthError. Pure: no
// clock, no I/O.
TokenPlan decide_client_credentials(const TokenRequest& request, const domain::TenantView& tenant,
                                    const domain::ClientView& client);

// Lifetime: the client's override, else the API's, else the tenant's, else 3600 s.
int effective_ttl(const domain::Client& client, const domain::Api& api,
                  const domain::Tenant& tenant);
domain::TokenFormat effective_format(const domain::Api& api, const domain::Tenant& tenant);
// JWT signing algorithm: the API's, else the tenant's, else EdDSA (SPEC §3.1).
domain::SigningAlg effective_signing_alg(const domain::Api& api, const domain::Tenant& tenant);
// The algorithms in use (SPEC §3.4): the tenant's default and each live
// API's, in enum order. What the stores keep keys for
// (store/signing_key_store.hpp) and discovery advertises.
std::vector<domain::SigningAlg> signing_algs_in_use(const domain::TenantView& tenant);

}  // namespace tessera::grants
