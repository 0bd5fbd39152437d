#include "endpoints/introspection_endpoint.hpp"

#include "admin/admin_keys.hpp"
#include "endpoints/client_auth.hpp"
#include "endpoints/token_lookup.hpp"
#include "domain/ip_address.hpp"
#include "http/basic_auth.hpp"
#include "http/oauth_error_writer.hpp"
#include "http/oauth_params.hpp"
#include "log/log.hpp"
#include "store/errors.hpp"

namespace tessera::endpoints {
namespace {

using domain::OAuthError;
using domain::OAuthErrorCode;

const std::vector<std::string>& fields() {
  static const std::vector<std::string> names{"token", "token_type_hint", "client_id",
                                              "client_secret"};
  return names;
}

http::Response inactive() {
  auto response = http::json_response(200, {{"active", false}});
  http::add_no_store(response);
  return response;
}

bool is_bearer(const std::optional<std::string>& authorization) {
  return authorization && authorization->size() > 7 &&
         (authorization->compare(0, 7, "Bearer ") == 0 || authorization->compare(0, 7, "bearer ") == 0);
}

// Who may introspect: an admin key of this tenant (or a superadmin), or a
// client with can_introspect. Throws OAuthError / RateLimited otherwise.
void authorize_introspection(PublicServices& services, const domain::TenantView& tenant,
                             const http::Request& request, const http::OAuthParams& params,
                             grants::TokenRequest& credentials, Stage stage) {
  const auto authorization = request.header("authorization");
  if (is_bearer(authorization)) {
    // admin keys are read from the database
    if (stage == Stage::reactor) throw NeedsWorker{Stage::worker};
    const auto actor =
        admin::authenticate_admin(services.admin_keys, services.admin_key_key, authorization);
    if (!actor || (actor->tenant && *actor->tenant != tenant.tenant.id)) {
      // Guessing admin keys here is limited as on the admin port, with the
      // admin-key counters (SPEC §6): only failures count and are refused.
      const auto now = std::chrono::system_clock::now();
      const std::string source = "admin-ip:" + domain::source_key(request.remote_address);
      const auto limited = services.admin_failures.retry_after(source, now);
      services.admin_failures.record_failure(source, now);
      if (limited) throw RateLimited{*limited};
      throw OAuthError(OAuthErrorCode::invalid_client, "invalid admin key", 401);
    }
    return;
  }
  grants::read_client_credentials(params, http::parse_authorization(authorization), credentials);
  const auto client = authenticate_client(services, tenant, credentials, request.remote_address,
                                          std::chrono::system_clock::now(), stage);
  if (!client.client->client.can_introspect) {
    throw OAuthError(OAuthErrorCode::unauthorized_client,
                     "this client may not introspect tokens", 403);
  }
}

nlohmann::json describe(PublicServices& services, const domain::TenantView& tenant,
                        const FoundToken& found, Stage stage) {
  const auto now = std::chrono::system_clock::now();
  const auto& status = found.status;
  if (status.revoked || status.expires_at <= now) return nullptr;
  if (tenant.tenant.status != domain::Status::active) return nullptr;
  const auto* api = tenant.api_by_id(status.api);
  if (api == nullptr) return nullptr;
  // A disabled or deleted client's tokens stop being active while it is so.
  auto client = services.directory.client(tenant.tenant.id, status.client_id, stage != Stage::reactor);
  if (client.state == cache::Lookup<domain::ClientView>::State::miss) {
    throw NeedsWorker{Stage::worker};
  }
  if (!client.found() || client.value->client.status != domain::Status::active) return nullptr;
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  return {{"active", true},
          {"scope", status.scope},
          {"client_id", status.client_id},
          {"sub", status.client_id},
          {"aud", api->identifier},
          {"iss", services.issuer(tenant.tenant.slug)},
          {"exp", duration_cast<seconds>(status.expires_at.time_since_epoch()).count()},
          {"iat", duration_cast<seconds>(status.issued_at.time_since_epoch()).count()},
          {"jti", crypto::uuid_text(found.id)},
          {"token_type", "Bearer"}};
}

}  // namespace

void handle_introspect(PublicServices& services, std::shared_ptr<const domain::TenantView> tenant,
                       http::Request request, http::Reply reply, Stage stage) {
  const std::string& slug = tenant->tenant.slug;
  grants::TokenRequest credentials;
  try {
    const auto params = http::parse_oauth_params(request, fields(), {});
    authorize_introspection(services, *tenant, request, params, credentials, stage);
    const auto token = params.get("token");
    if (!token) throw OAuthError(OAuthErrorCode::invalid_request, "token is required");
    auto found = find_presented_token(services, *tenant, *token, stage != Stage::reactor);
    auto answer = found ? describe(services, *tenant, *found, stage) : nullptr;
    if (answer.is_null()) return reply(inactive());
    auto response = http::json_response(200, answer);
    http::add_no_store(response);
    response.log_tenant = slug;
    response.log_client_id = credentials.client_id;
    reply(response);
  } catch (const NeedsWorker& needs) {
    // Nothing with an effect ran before the throw: the handler starts over
    // where it may do what it needs.
    continue_at(services, stage, needs, reply, slug,
                [&services, tenant = std::move(tenant), request = std::move(request),
                 reply](Stage to) mutable {
                  handle_introspect(services, std::move(tenant), std::move(request), reply, to);
                });
  } catch (const RateLimited& limited) {
    reply(rate_limited_response(limited, &credentials, slug));
  } catch (const OAuthError& e) {
    auto response = oauth_error_response(e, &credentials, slug);
    if (e.status() == 401 && is_bearer(request.header("authorization"))) {
      response.with_header("WWW-Authenticate", "Bearer realm=\"tessera\"");
    }
    reply(response);
  } catch (const store::Unavailable& e) {
    reply(database_unavailable_response(e, slug));
  }
}

}  // namespace tessera::endpoints
