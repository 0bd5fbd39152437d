// Admin API: /tenants/{t}/clients/{c}/grants (SPEC §4).
#include <algorithm>
#include <set>

#include "admin/admin_error.hpp"
#include "admin/body_reader.hpp"
#include "admin/handlers.hpp"
#include "admin/log_tags.hpp"
#include "admin/pagination.hpp"
#include "admin/resources_json.hpp"

namespace tessera::admin {

http::Response list_grants(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto client = client_in_scope(call, tenant);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& grant : call.services.grants.list(tenant.id, client.client_id)) {
    items.push_back(to_json(grant));
  }
  // A client has one grant per API at most, so the list is never paged.
  return with_log_tags(http::json_response(200, list_answer(std::move(items), std::nullopt)),
                       tenant, client.client_id);
}

http::Response put_grant(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto client = client_in_scope(call, tenant);
  auto api = api_in_scope(call, tenant);
  BodyReader body(call.request);
  const auto* scopes_json = body.take("scopes");
  // Absent: none, since a PUT replaces the whole grant.
  const auto claims = body.optional_claims("claims").value_or(nlohmann::json::object());
  body.finish();
  if (scopes_json == nullptr || !scopes_json->is_array()) {
    throw invalid_field("scopes", "must be an array of scope values of the API");
  }
  std::set<std::string> scopes;
  for (const auto& item : *scopes_json) {
    if (!item.is_string()) throw invalid_field("scopes", "must be an array of strings");
    const auto value = item.get<std::string>();
    const bool known = std::any_of(api.scopes.begin(), api.scopes.end(),
                                   [&](const domain::ApiScope& s) { return s.value == value; });
    if (!known) throw invalid_field("scopes", "'" + value + "' is not a scope of the API");
    scopes.insert(value);
  }
  auto grant = call.services.grants.put(tenant.id, client.client_id, api.id,
                                        {scopes.begin(), scopes.end()}, claims, call.actor);
  return with_log_tags(http::json_response(200, to_json(grant)), tenant, client.client_id);
}

http::Response delete_grant(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto client = client_in_scope(call, tenant);
  auto api = api_in_scope(call, tenant);
  if (!call.services.grants.remove(tenant.id, client.client_id, api.id, call.actor)) {
    throw AdminError(AdminErrorCode::not_found, "the client has no grant on this API");
  }
  return with_log_tags(http::empty_response(204), tenant, client.client_id);
}

}  // namespace tessera::admin
