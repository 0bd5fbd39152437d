// Admin API: /tenants/{t}/clients (SPEC §4).
#include "admin/admin_error.hpp"
#include "admin/body_reader.hpp"
#include "admin/handlers.hpp"
#include "admin/log_tags.hpp"
#include "admin/pagination.hpp"
#include "admin/resources_json.hpp"
#include "crypto/credentials.hpp"
#include "crypto/keyed_hash.hpp"
#include "crypto/password_hash.hpp"
#include "domain/validation.hpp"
#include "http/oauth_error_writer.hpp"

namespace tessera::admin {
namespace {

// An imported secret is chosen by a person: long enough to resist guessing
// when hashed with Argon2id, and free of control characters.
void check_imported_secret(const std::string& secret) {
  if (secret.size() < domain::kMinImportedSecretLength ||
      secret.size() > domain::kMaxImportedSecretLength) {
    throw invalid_field("client_secret", "must be 32 to 512 characters");
  }
  for (const char byte : secret) {
    const auto c = static_cast<unsigned char>(byte);
    if (c < 0x20 || c == 0x7f)
      throw invalid_field("client_secret", "must not hold control characters");
  }
}

}  // namespace

http::Response create_client(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  BodyReader body(call.request);
  store::NewClient client;
  client.client_id = domain::ClientId{crypto::generate_client_id()};
  client.name = body.required_name();
  client.token_ttl = body.optional_ttl("token_ttl").value_or(std::nullopt);
  client.can_introspect = body.optional_bool("can_introspect").value_or(false);
  auto imported = body.optional_string("client_secret");
  body.finish();

  std::string secret;
  if (imported) {
    check_imported_secret(*imported);
    secret = *imported;
    client.secret.argon2_hash = crypto::password_hash(secret);
  } else {
    secret = crypto::generate_client_secret();
    client.secret.keyed_hash =
        crypto::keyed_hash(call.services.client_secret_keys.current(), secret);
    client.secret.master_key = call.services.client_secret_keys.current_id();
  }
  auto created = call.services.clients.create(tenant.id, client, call.actor);
  auto json = to_json(created);
  json["client_secret"] = secret;  // shown this once (SPEC §4)
  auto response = http::json_response(201, json);
  http::add_no_store(response);  // the secret, shown this once, in no cache
  return with_log_tags(std::move(response), tenant, created.client_id);
}

http::Response list_clients(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  const auto page_request = read_page_request(call.request);
  auto page = call.services.clients.list(tenant.id, page_request.after, page_request.limit);
  return with_log_tags(http::json_response(200, to_json(page)), tenant);
}

http::Response get_client(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto client = client_in_scope(call, tenant);
  return with_log_tags(http::json_response(200, to_json(client)), tenant, client.client_id);
}

http::Response patch_client(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto client = client_in_scope(call, tenant);
  BodyReader body(call.request);
  store::ClientPatch patch;
  if (body.has("name")) patch.name = body.required_name();
  patch.token_ttl = body.optional_ttl("token_ttl");
  patch.can_introspect = body.optional_bool("can_introspect");
  if (auto status = body.optional_string("status")) {
    patch.status = domain::parse_status(*status);
    if (!patch.status) throw invalid_field("status", "must be \"active\" or \"disabled\"");
  }
  if (body.has("client_secret")) {
    body.take("client_secret");
    throw invalid_field("client_secret", "cannot be patched (rotate it with POST …/secrets)");
  }
  body.finish();
  auto updated = call.services.clients.update(tenant.id, client.client_id, patch, call.actor);
  return with_log_tags(http::json_response(200, to_json(updated)), tenant, updated.client_id);
}

http::Response delete_client(AdminCall& call) {
  auto tenant = tenant_in_scope(call);
  auto client = client_in_scope(call, tenant);
  call.services.clients.remove(tenant.id, client.client_id, call.actor);
  return with_log_tags(http::empty_response(204), tenant, client.client_id);
}

}  // namespace tessera::admin
