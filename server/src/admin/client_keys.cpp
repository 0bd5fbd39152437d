// Admin API: /tenants/{t}/clients/{c}/keys — the public keys a client signs
// its assertions with (private_key_jwt, RFC 7523 §2.2).
#include "admin/admin_error.hpp"
#include "admin/body_reader.hpp"
#include "admin/client_key_input.hpp"
#include "admin/handlers.hpp"
#include "admin/log_tags.hpp"
#include "admin/pagination.hpp"
#include "admin/resources_json.hpp"
#include "domain/validation.hpp"

namespace tessera::admin {

http::Response list_client_keys(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto client = client_in_scope(call, tenant);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& key : call.services.client_keys.list_keys(tenant.id, client.client_id)) {
    items.push_back(to_json(key));
  }
  // At most domain::kMaxClientKeys: one page.
  return with_log_tags(http::json_response(200, list_answer(std::move(items), std::nullopt)),
                       tenant, client.client_id);
}

http::Response add_client_key(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto client = client_in_scope(call, tenant);
  BodyReader body(call.request);
  // The body is the JWK itself, as a JWK Set's member would be.
  const auto key = read_client_key(body.take_all(), "jwk");
  auto created = call.services.client_keys.add_key(tenant.id, client.client_id, key, call.actor);
  return with_log_tags(http::json_response(201, to_json(created)), tenant, client.client_id);
}

http::Response remove_client_key(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto client = client_in_scope(call, tenant);
  const auto id = domain::parse_decimal_id(call.request.param("id"));
  if (!id) throw AdminError(AdminErrorCode::not_found, "key not found");
  call.services.client_keys.remove_key(tenant.id, client.client_id, *id, call.actor);
  return with_log_tags(http::empty_response(204), tenant, client.client_id);
}

}  // namespace tessera::admin
