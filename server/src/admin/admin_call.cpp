#include "admin/admin_call.hpp"

#include "admin/admin_error.hpp"
#include "crypto/signing_keys.hpp"
#include "domain/validation.hpp"

namespace tessera::admin {

store::MakeSigningKey AdminServices::signing_key_maker() const {
  return [seal_keys = signing_seal_keys](domain::TenantId tenant, domain::SigningAlg alg,
                                         domain::SigningKeyState state) {
    return crypto::make_signing_key(seal_keys, tenant, alg, state);
  };
}

domain::Tenant tenant_in_scope(AdminCall& call) {
  auto tenant = call.services.tenants.find_by_slug(call.request.param("t"));
  if (!tenant || (call.actor.tenant && *call.actor.tenant != tenant->id)) {
    throw AdminError(AdminErrorCode::not_found, "tenant not found");
  }
  return *tenant;
}

std::optional<domain::Api> find_api(AdminCall& call, const domain::Tenant& tenant,
                                    const std::string& ref) {
  if (auto id = domain::parse_decimal_id(ref)) {
    if (auto api = call.services.apis.find_by_id(tenant.id, domain::ApiId{*id})) return api;
  }
  return call.services.apis.find_by_identifier(tenant.id, ref);
}

domain::Api api_in_scope(AdminCall& call, const domain::Tenant& tenant) {
  if (auto api = find_api(call, tenant, call.request.param("api"))) return *api;
  throw AdminError(AdminErrorCode::not_found, "API not found");
}

domain::Client client_in_scope(AdminCall& call, const domain::Tenant& tenant) {
  auto client = call.services.clients.find(tenant.id, domain::ClientId{call.request.param("c")});
  if (!client) throw AdminError(AdminErrorCode::not_found, "client not found");
  return *client;
}

void require_superadmin(const domain::Actor& actor) {
  if (!actor.is_superadmin()) {
    throw AdminError(AdminErrorCode::forbidden, "this operation needs a superadmin key");
  }
}

}  // namespace tessera::admin
