#include "admin/admin_call.hpp"

#include "admin/admin_error.hpp"

namespace tessera::admin {

domain::Tenant tenant_in_scope(AdminCall& call) {
  auto tenant = call.services.tenants.find_by_slug(call.request.param("t"));
  if (!tenant || (call.actor.tenant && *call.actor.tenant != tenant->id)) {
    throw AdminError(AdminErrorCode::not_found, "tenant not found");
  }
  return *tenant;
}

domain::Api api_in_scope(AdminCall& call, const domain::Tenant& tenant) {
  const auto& ref = call.request.param("api");
  if (!ref.empty() && ref.size() <= 18 && ref.find_first_not_of("0123456789") == std::string::npos) {
    if (auto api = call.services.apis.find_by_id(tenant.id, domain::ApiId{std::stoll(ref)})) {
      return *api;
    }
  }
  if (auto api = call.services.apis.find_by_identifier(tenant.id, ref)) return *api;
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
