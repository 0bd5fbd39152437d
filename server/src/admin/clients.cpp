// Admin API: /tenants/{t}/clients (SPEC §4).
#include "admin/admin_error.hpp"
#include "admin/body_reader.hpp"
#include "admin/client_key_input.hpp"
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

// token_endpoint_auth_method as asked: client_secret_post is a synonym of
// client_secret_basic, since a secret client accepts both styles.
domain::ClientAuthMethod read_auth_method(BodyReader& body) {
  const auto text = body.optional_string("token_endpoint_auth_method");
  if (!text) return domain::ClientAuthMethod::client_secret_basic;
  if (*text == "client_secret_post") return domain::ClientAuthMethod::client_secret_basic;
  if (auto method = domain::parse_client_auth_method(*text)) return *method;
  throw invalid_field("token_endpoint_auth_method",
                      "must be \"client_secret_basic\", \"client_secret_post\" or "
                      "\"private_key_jwt\"");
}

// Absent: nullopt; null: cleared (PATCH only); otherwise a valid jwks_uri.
std::optional<std::optional<std::string>> read_jwks_uri(BodyReader& body, bool null_allowed,
                                                        bool allow_http) {
  const auto* value = body.take("jwks_uri");
  if (value == nullptr) return std::nullopt;
  if (value->is_null() && null_allowed) return std::optional<std::string>();
  if (!value->is_string() || !domain::is_valid_jwks_uri(value->get<std::string>(), allow_http)) {
    throw invalid_field("jwks_uri", domain::kJwksUriRule);
  }
  return std::optional<std::string>(value->get<std::string>());
}

// DPoP (RFC 9449): absent leaves the mode as it is (or the default).
std::optional<domain::DpopMode> read_dpop_mode(BodyReader& body) {
  const auto* value = body.take("dpop");
  if (value == nullptr) return std::nullopt;
  if (value->is_string()) {
    if (auto mode = domain::parse_dpop_mode(value->get<std::string>())) return mode;
  }
  throw invalid_field("dpop", "must be \"off\", \"allowed\" or \"required\"");
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
  client.auth_method = read_auth_method(body);
  client.jwks_uri =
      read_jwks_uri(body, false, call.services.allow_insecure_jwks_uri).value_or(std::nullopt);
  if (const auto* jwks = body.take("jwks")) client.keys = read_client_key_set(*jwks);
  client.dpop = read_dpop_mode(body).value_or(domain::DpopMode::allowed);
  client.dpop_nonce = body.optional_bool("dpop_nonce").value_or(false);
  client.claims = body.optional_claims("claims").value_or(nlohmann::json::object());
  body.finish();

  if (client.auth_method == domain::ClientAuthMethod::private_key_jwt) {
    if (imported) {
      throw invalid_field("client_secret",
                          "a private_key_jwt client authenticates with keys and has no secret");
    }
    if (client.keys.empty() && !client.jwks_uri) {
      throw AdminError(AdminErrorCode::invalid_request,
                       "jwks: a private_key_jwt client needs at least one key in jwks, or a "
                       "jwks_uri",
                       "jwks");
    }
    auto created = call.services.clients.create(tenant.id, client, call.actor);
    // No secret to guard, but one rule for every creation answer.
    auto response = http::json_response(201, to_json(created));
    http::add_no_store(response);
    return with_log_tags(std::move(response), tenant, created.client_id);
  }

  std::string secret;
  domain::NewClientSecret stored;
  if (imported) {
    check_imported_secret(*imported);
    secret = *imported;
    stored.argon2_hash = crypto::password_hash(secret);
  } else {
    secret = crypto::generate_client_secret();
    stored.keyed_hash = crypto::keyed_hash(call.services.client_secret_keys.current(), secret);
    stored.master_key = call.services.client_secret_keys.current_id();
  }
  client.secret = stored;
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
  patch.jwks_uri = read_jwks_uri(body, true, call.services.allow_insecure_jwks_uri);
  patch.dpop = read_dpop_mode(body);
  patch.dpop_nonce = body.optional_bool("dpop_nonce");
  patch.claims = body.optional_claims("claims");  // the whole object: {} clears
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
