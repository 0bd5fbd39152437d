#include "endpoints/public_dispatch.hpp"

#include "domain/validation.hpp"
#include "endpoints/discovery_endpoint.hpp"
#include "endpoints/exchange.hpp"
#include "endpoints/health.hpp"
#include "endpoints/introspection_endpoint.hpp"
#include "endpoints/public_routes.hpp"
#include "endpoints/revocation_endpoint.hpp"
#include "endpoints/step_runner.hpp"
#include "endpoints/token_endpoint.hpp"
#include "http/oauth_error_writer.hpp"
#include "log/log.hpp"

namespace tessera::endpoints {
namespace {

using domain::OAuthError;
using domain::OAuthErrorCode;

http::Response not_found() {
  return http::write_oauth_error(OAuthError(OAuthErrorCode::not_found, "no such endpoint"));
}

http::Response method_not_allowed(const char* allowed) {
  auto response = http::write_oauth_error(
      OAuthError(OAuthErrorCode::method_not_allowed, std::string("use ") + allowed));
  return response.with_header("Allow", allowed);
}

// The body was not read (http::ListenerOptions::body_limit_after_routing).
http::Response body_too_large() {
  static const std::string message =
      "the request body exceeds " + std::to_string(kMaxPublicBody) + " bytes";
  return http::write_oauth_error(OAuthError::http_refusal(413, message));
}

// The one method each endpoint answers.
const char* method_of(PublicEndpoint endpoint) {
  switch (endpoint) {
    case PublicEndpoint::token:
    case PublicEndpoint::introspect:
    case PublicEndpoint::revoke:
      return "POST";
    case PublicEndpoint::discovery:
    case PublicEndpoint::openid_configuration:
    case PublicEndpoint::jwks:
    case PublicEndpoint::unknown:
      break;
  }
  return "GET";
}

metrics::Route route_of(PublicEndpoint endpoint) {
  switch (endpoint) {
    case PublicEndpoint::token:
      return metrics::Route::token;
    case PublicEndpoint::introspect:
      return metrics::Route::introspect;
    case PublicEndpoint::revoke:
      return metrics::Route::revoke;
    case PublicEndpoint::discovery:
    case PublicEndpoint::openid_configuration:
      return metrics::Route::discovery;
    case PublicEndpoint::jwks:
      return metrics::Route::jwks;
    case PublicEndpoint::unknown:
      break;
  }
  return metrics::Route::other;
}

// A probe's answer, labelled for /metrics.
http::Response probe_answer(http::Response response, metrics::Route route) {
  response.route = route;
  return response;
}

using TenantLookup = cache::Lookup<domain::TenantView>;

// The tenant a request names: by its path, else by its Host header.
TenantLookup find_tenant(PublicServices& services, const Exchange& exchange,
                         const TenantPath& path) {
  const TenantLookup none{TenantLookup::State::absent, nullptr};
  std::string slug;
  if (path.slug) {
    // A slug that breaks the slug rule names no tenant: no lookup.
    if (!domain::is_valid_slug(*path.slug)) return none;
    slug = *path.slug;
  } else {
    const auto host = exchange.request.header("host");
    if (!host) return none;
    const auto name = host_name(*host);
    if (!domain::is_valid_domain(name)) return none;
    auto found = services.directory.slug_for_domain(name, exchange.may_load());
    if (found.state == cache::Lookup<std::string>::State::miss)
      return {TenantLookup::State::miss, nullptr};
    if (!found.found()) return none;
    slug = *found.value;
  }
  return services.directory.tenant(slug, exchange.may_load());
}

}  // namespace

Outcome route_public_request(PublicServices& services, Exchange& exchange) {
  const auto path = split_tenant_path(exchange.request.path);
  exchange.log_tenant = path.slug.value_or("");
  const auto tenant = find_tenant(services, exchange, path);
  if (tenant.state == TenantLookup::State::miss)
    return Outcome::continue_at(Stage::worker, route_public_request);
  if (!tenant.found()) {
    return Outcome::answer(http::write_oauth_error(
        OAuthError(OAuthErrorCode::not_found, path.slug ? "unknown tenant" : "no such endpoint")));
  }
  exchange.tenant = tenant.value;
  exchange.log_tenant = tenant.value->tenant.slug;
  const auto endpoint = endpoint_for(path.rest);
  if (endpoint == PublicEndpoint::unknown) return Outcome::answer(not_found());
  exchange.route = route_of(endpoint);
  // OpenID discovery sits under the issuer, which is always ${base}/t/{slug}:
  // at a tenant's own domain root it would describe an issuer that is not
  // that URL (OpenID Connect Discovery §4.3 has clients check).
  if (endpoint == PublicEndpoint::openid_configuration && !path.slug) {
    return Outcome::answer(not_found());
  }
  // SPEC §3.1 check 1, in its order: 404 (above), 405, 413.
  const char* method = method_of(endpoint);
  if (exchange.request.method != method) return Outcome::answer(method_not_allowed(method));
  if (exchange.request.body_too_large) return Outcome::answer(body_too_large());
  switch (endpoint) {
    case PublicEndpoint::token:
      return token_endpoint(services, exchange);
    case PublicEndpoint::introspect:
      return introspection_endpoint(services, exchange);
    case PublicEndpoint::revoke:
      return revocation_endpoint(services, exchange);
    case PublicEndpoint::discovery:
      return Outcome::answer(discovery(services, *tenant.value));
    case PublicEndpoint::openid_configuration:
      return Outcome::answer(openid_configuration(services, *tenant.value));
    case PublicEndpoint::jwks:
      return Outcome::answer(jwks(*tenant.value));
    case PublicEndpoint::unknown:
      break;
  }
  return Outcome::answer(not_found());
}

http::Response public_listener_error(int status, const std::string& message) {
  return http::write_oauth_error(OAuthError::http_refusal(status, message));
}

http::Dispatch make_public_dispatch(PublicServices& services, const Readiness& readiness) {
  return [&services, &readiness](http::Request&& request, http::Reply reply) {
    if (request.path == "/healthz" || request.path == "/readyz") {
      const auto route =
          request.path == "/healthz" ? metrics::Route::healthz : metrics::Route::readyz;
      if (request.method != "GET") return reply(probe_answer(method_not_allowed("GET"), route));
      if (request.body_too_large) return reply(probe_answer(body_too_large(), route));
      if (request.path == "/healthz") return reply(probe_answer(healthz(), route));
      return reply(probe_answer(readyz(readiness), route));
    }
    auto exchange = std::make_shared<Exchange>();
    exchange->now = services.clock.now();
    exchange->request = std::move(request);
    run(services, std::move(exchange), route_public_request, reply);
  };
}

}  // namespace tessera::endpoints
