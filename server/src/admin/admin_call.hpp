#pragma once

#include <functional>

#include "cache/change_barrier.hpp"
#include "crypto/key_ring.hpp"
#include "domain/clock.hpp"
#include "domain/failure_limiter.hpp"
#include "domain/models.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "store/admin_key_store.hpp"
#include "store/api_store.hpp"
#include "store/client_key_store.hpp"
#include "store/client_store.hpp"
#include "store/lifecycle_store.hpp"
#include "store/signing_key_store.hpp"
#include "store/tenant_store.hpp"

namespace tessera::admin {

// What admin handlers work with, wired once at start.
struct AdminServices {
  store::TenantStore& tenants;
  store::ApiStore& apis;
  store::ClientStore& clients;
  store::GrantStore& grants;
  store::AdminKeyStore& admin_keys;
  store::SecretStore& secrets;
  store::TokenAdminStore& tokens;
  store::AuditStore& audit;
  store::SigningKeyStore& signing_keys;
  store::ClientKeyStore& client_keys;
  // Sub-keys of the configured master keys; what is made now is made with
  // the current one and records its number.
  crypto::SubKeyRing client_secret_keys;  // keyed hashes of generated client secrets
  crypto::SubKeyRing admin_key_keys;      // keyed hashes of admin keys
  crypto::SubKeyRing signing_seal_keys;   // seal signing keys at rest
  // Every change announces itself in its own transaction; after a request
  // that may have changed something, this waits until the change shows in
  // this instance's caches (SPEC §4: at once on the instance that made it).
  cache::ChangeBarrier& changes;
  // Failed admin-key authentication is limited like client authentication,
  // with counters of its own, shared with the public introspection endpoint
  // where admin keys are accepted too (SPEC §6).
  domain::FailureLimiter& admin_failures;
  // The time as the admin API sees it: failure windows, which tokens count
  // as active.
  const domain::Clock& clock;
  // TESSERA_ALLOW_INSECURE_JWKS_URI: a client's jwks_uri may be http.
  bool allow_insecure_jwks_uri = false;

  // Makes the signing keys the stores ask for, sealed with the current
  // signing_seal_keys.
  store::MakeSigningKey signing_key_maker() const;
};

// One authenticated admin request.
struct AdminCall {
  const http::Request& request;
  AdminServices& services;
  const domain::Actor& actor;
};

using AdminHandler = std::function<http::Response(AdminCall&)>;

// The tenant named by the path's {t}, if the actor may see it; otherwise
// AdminError not_found (a tenant key sees other tenants as absent).
domain::Tenant tenant_in_scope(AdminCall& call);

// The API `ref` names: its id (decimal), or else its identifier.
std::optional<domain::Api> find_api(AdminCall& call, const domain::Tenant& tenant,
                                    const std::string& ref);

// The API named by the path's {api} (find_api); else AdminError not_found.
domain::Api api_in_scope(AdminCall& call, const domain::Tenant& tenant);

// The client named by the path's {c}.
domain::Client client_in_scope(AdminCall& call, const domain::Tenant& tenant);

// AdminError forbidden unless the actor is a superadmin.
void require_superadmin(const domain::Actor& actor);

}  // namespace tessera::admin
