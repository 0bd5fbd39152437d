#include "endpoints/public_dispatch.hpp"

#include "endpoints/client_auth.hpp"
#include "endpoints/discovery_endpoint.hpp"
#include "endpoints/health.hpp"
#include "endpoints/introspection_endpoint.hpp"
#include "endpoints/revocation_endpoint.hpp"
#include "domain/validation.hpp"
#include "endpoints/public_routes.hpp"
#include "http/oauth_error_writer.hpp"
#include "log/log.hpp"
#include "store/errors.hpp"

namespace tessera::endpoints {
namespace {

using domain::OAuthError;
using domain::OAuthErrorCode;

http::Response not_found() {
  return http::write_oauth_error(OAuthError(OAuthErrorCode::not_found, "no such endpoint", 404));
}

http::Response method_not_allowed(const char* allowed) {
  auto response = http::write_oauth_error(
      OAuthError(OAuthErrorCode::method_not_allowed, std::string("use ") + allowed, 405));
  return response.with_header("Allow", allowed);
}

// The body was not read (http::ListenerOptions::body_limit_after_routing).
http::Response body_too_large() {
  static const std::string message =
      "the request body exceeds " + std::to_string(kMaxPublicBody) + " bytes";
  return http::write_oauth_error(OAuthError(OAuthErrorCode::invalid_request, message, 413));
}

// The one method each endpoint answers.
const char* method_of(PublicEndpoint endpoint) {
  switch (endpoint) {
    case PublicEndpoint::token:
    case PublicEndpoint::introspect:
    case PublicEndpoint::revoke:
      return "POST";
    case PublicEndpoint::discovery:
    case PublicEndpoint::jwks:
    case PublicEndpoint::unknown:
      break;
  }
  return "GET";
}

struct Miss {};  // the tenant is not cached and this thread may not load it

std::shared_ptr<const domain::TenantView> find_tenant(PublicServices& services,
                                                      const http::Request& request,
                                                      const TenantPath& path, bool may_load) {
  std::string slug;
  if (path.slug) {
    // A slug that breaks the slug rule names no tenant: no lookup.
    if (!domain::is_valid_slug(*path.slug)) return nullptr;
    slug = *path.slug;
  } else {
    const auto host = request.header("host");
    if (!host) return nullptr;
    const auto name = host_name(*host);
    if (!domain::is_valid_domain(name)) return nullptr;
    auto found = services.directory.slug_for_domain(name, may_load);
    if (found.state == cache::Lookup<std::string>::State::miss) throw Miss{};
    if (!found.found()) return nullptr;
    slug = *found.value;
  }
  auto tenant = services.directory.tenant(slug, may_load);
  if (tenant.state == cache::Lookup<domain::TenantView>::State::miss) throw Miss{};
  return tenant.value;
}

void route(PublicServices& services, http::Request&& request, const http::Reply& reply,
           Stage stage) {
  const auto path = split_tenant_path(request.path);
  const auto endpoint = endpoint_for(path.rest);
  std::shared_ptr<const domain::TenantView> tenant;
  try {
    tenant = find_tenant(services, request, path, stage != Stage::reactor);
  } catch (const Miss&) {
    run_at(services, Stage::worker, reply, path.slug.value_or(""),
           [&services, request = std::move(request), reply]() mutable {
             route(services, std::move(request), reply, Stage::worker);
           });
    return;
  } catch (const store::Unavailable& e) {
    return reply(database_unavailable_response(e, path.slug.value_or("")));
  }
  if (!tenant) {
    auto response = http::write_oauth_error(OAuthError(OAuthErrorCode::not_found,
                                                       path.slug ? "unknown tenant" : "no such endpoint", 404));
    return reply(response);
  }
  if (endpoint == PublicEndpoint::unknown) return reply(not_found());
  // SPEC §3.1 check 1, in its order: 404 (above), 405, 413.
  const char* method = method_of(endpoint);
  if (request.method != method) return reply(method_not_allowed(method));
  if (request.body_too_large) return reply(body_too_large());
  switch (endpoint) {
    case PublicEndpoint::token:
      return handle_token(services, std::move(tenant), std::move(request), reply, stage);
    case PublicEndpoint::introspect:
      return handle_introspect(services, std::move(tenant), std::move(request), reply, stage);
    case PublicEndpoint::revoke: {
      // Writes the token's record: never on a reactor thread.
      if (stage != Stage::reactor) {
        return handle_revoke(services, std::move(tenant), std::move(request), reply, stage);
      }
      const std::string slug = tenant->tenant.slug;
      run_at(services, Stage::worker, reply, slug,
             [&services, tenant = std::move(tenant), request = std::move(request), reply]() mutable {
               handle_revoke(services, std::move(tenant), std::move(request), reply, Stage::worker);
             });
      return;
    }
    case PublicEndpoint::discovery:
      return reply(discovery(services, *tenant));
    case PublicEndpoint::jwks:
      return reply(jwks(*tenant));
    case PublicEndpoint::unknown:
      return;
  }
}

}  // namespace

http::Response public_listener_error(int status, const std::string& message) {
  OAuthErrorCode code = OAuthErrorCode::server_error;
  if (status >= 400 && status < 500) code = OAuthErrorCode::invalid_request;
  if (status == 503) code = OAuthErrorCode::temporarily_unavailable;
  return http::write_oauth_error(OAuthError(code, message, status));
}

http::Dispatch make_public_dispatch(PublicServices& services, const store::DatabaseState& database) {
  return [&services, &database](http::Request&& request, http::Reply reply) {
    if (request.path == "/healthz" || request.path == "/readyz") {
      if (request.method != "GET") return reply(method_not_allowed("GET"));
      if (request.body_too_large) return reply(body_too_large());
      if (request.path == "/healthz") return reply(healthz());
      return reply(readyz(database));
    }
    route(services, std::move(request), reply, Stage::reactor);
  };
}

}  // namespace tessera::endpoints
