#include "admin/admin_dispatch.hpp"

#include <memory>

#include "admin/admin_authentication.hpp"
#include "admin/admin_error.hpp"
#include "admin/handlers.hpp"
#include "admin/input_text.hpp"
#include "domain/ip_address.hpp"
#include "endpoints/health.hpp"
#include "http/router.hpp"
#include "log/log.hpp"
#include "metrics/exposition.hpp"
#include "store/errors.hpp"

namespace tessera::admin {
namespace {

using Router = http::Router<AdminHandler>;

std::shared_ptr<Router> make_router() {
  auto r = std::make_shared<Router>();
  const std::string base = "/admin/v1";
  r->add("POST", base + "/tenants", create_tenant);
  r->add("GET", base + "/tenants", list_tenants);
  r->add("GET", base + "/tenants/:t", get_tenant);
  r->add("PATCH", base + "/tenants/:t", patch_tenant);
  r->add("DELETE", base + "/tenants/:t", delete_tenant);

  r->add("POST", base + "/tenants/:t/apis", create_api);
  r->add("GET", base + "/tenants/:t/apis", list_apis);
  r->add("GET", base + "/tenants/:t/apis/:api", get_api);
  r->add("PATCH", base + "/tenants/:t/apis/:api", patch_api);
  r->add("DELETE", base + "/tenants/:t/apis/:api", delete_api);

  r->add("POST", base + "/tenants/:t/clients", create_client);
  r->add("GET", base + "/tenants/:t/clients", list_clients);
  r->add("GET", base + "/tenants/:t/clients/:c", get_client);
  r->add("PATCH", base + "/tenants/:t/clients/:c", patch_client);
  r->add("DELETE", base + "/tenants/:t/clients/:c", delete_client);

  r->add("GET", base + "/tenants/:t/clients/:c/grants", list_grants);
  r->add("PUT", base + "/tenants/:t/clients/:c/grants/:api", put_grant);
  r->add("DELETE", base + "/tenants/:t/clients/:c/grants/:api", delete_grant);

  r->add("GET", base + "/tenants/:t/clients/:c/secrets", list_secrets);
  r->add("POST", base + "/tenants/:t/clients/:c/secrets", rotate_secret);
  r->add("DELETE", base + "/tenants/:t/clients/:c/secrets/:id", revoke_secret);

  r->add("GET", base + "/tenants/:t/clients/:c/keys", list_client_keys);
  r->add("POST", base + "/tenants/:t/clients/:c/keys", add_client_key);
  r->add("DELETE", base + "/tenants/:t/clients/:c/keys/:id", remove_client_key);

  r->add("GET", base + "/tenants/:t/tokens", list_tokens);
  r->add("POST", base + "/tenants/:t/tokens/revoke", revoke_tokens);
  r->add("GET", base + "/tenants/:t/tokens/:id", get_token);
  r->add("DELETE", base + "/tenants/:t/tokens/:id", revoke_token);

  r->add("GET", base + "/tenants/:t/signing-keys", list_signing_keys);
  r->add("POST", base + "/tenants/:t/signing-keys/rotate", rotate_signing_keys);

  r->add("GET", base + "/tenants/:t/audit-events", list_audit_events);

  r->add("POST", base + "/admin-keys", create_admin_key);
  r->add("GET", base + "/admin-keys", list_admin_keys);
  r->add("DELETE", base + "/admin-keys/:id", delete_admin_key);
  return r;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Runs on a worker: authenticate, call the handler, turn every failure into
// an admin error answer.
http::Response run_handler(AdminServices& services, const AdminHandler& handler,
                           const http::Request& request) {
  try {
    const auto actor = authenticate_admin_key(services.admin_keys, services.admin_key_keys,
                                              request.header("authorization"));
    if (!actor) {
      // Only failures count and only failures are refused: a valid key
      // always works, so strangers cannot lock an operator out.
      const auto now = services.clock.now();
      const std::string source = "admin-ip:" + domain::source_key(request.remote_address);
      const auto limited = services.admin_failures.retry_after(source, now);
      services.admin_failures.record_failure(source, now);
      if (limited) {
        auto response = write_admin_error(
            AdminError(AdminErrorCode::too_many_requests, "too many failed admin-key attempts"));
        return response.with_header("Retry-After", std::to_string(*limited));
      }
      throw AdminError(AdminErrorCode::unauthorized, "a valid admin key is required (Bearer)");
    }
    // A disabled tenant's keys stop at once (the lookup above reads the
    // tenant's status with the key), before any route logic: not even the
    // 404 of another tenant's path answers them (SPEC §4).
    if (actor->tenant_disabled) {
      throw AdminError(AdminErrorCode::forbidden, "the tenant of this admin key is disabled");
    }
    AdminCall call{request, services, actor->actor};
    return handler(call);
  } catch (const AdminError& e) {
    return write_admin_error(e);
  } catch (const store::Conflict& e) {
    return write_admin_error(AdminError(AdminErrorCode::conflict, e.what(), e.field()));
  } catch (const store::NotFound& e) {
    return write_admin_error(AdminError(AdminErrorCode::not_found, e.what()));
  } catch (const store::Unavailable& e) {
    log::warn("database unavailable", {{"error", e.what()}});
    return write_admin_error(
        AdminError(AdminErrorCode::temporarily_unavailable, "the database is unavailable"));
  } catch (const std::exception& e) {
    log::error("admin request failed", {{"error", e.what()}, {"request_id", request.request_id}});
    return write_admin_error(AdminError(AdminErrorCode::internal_error, "internal error"));
  }
}

metrics::Route route_of(const std::string& path) {
  if (path == "/healthz") return metrics::Route::healthz;
  if (path == "/readyz") return metrics::Route::readyz;
  if (path == "/metrics") return metrics::Route::metrics;
  return metrics::Route::admin;
}

}  // namespace

http::Response admin_listener_error(int status, const std::string& message) {
  AdminErrorCode code = AdminErrorCode::internal_error;
  // The listener's refusals (400, 408, 411, 413, 414, 431) keep their status.
  if (status >= 400 && status < 500) {
    return http::json_response(status, {{"error", "invalid_request"}, {"message", message}});
  }
  if (status == 503) code = AdminErrorCode::temporarily_unavailable;
  return write_admin_error(AdminError(code, message));
}

http::Dispatch make_admin_dispatch(AdminServices& services, http::WorkerPool& workers,
                                   const endpoints::Readiness& readiness) {
  auto router = make_router();
  return [router, &services, &workers, &readiness](http::Request&& request,
                                                   http::Reply listener_reply) {
    // Every answer from here on names its route for /metrics.
    const auto route = route_of(request.path);
    auto reply = [listener_reply, route](http::Response response) {
      response.route = route;
      listener_reply(std::move(response));
    };
    if (request.method == "GET" && request.path == "/healthz") return reply(endpoints::healthz());
    if (request.method == "GET" && request.path == "/readyz") {
      return reply(endpoints::readyz(readiness));
    }
    if (request.method == "GET" && request.path == "/metrics") {
      http::Response scrape;
      scrape.content_type = "text/plain; version=0.0.4";
      scrape.body = metrics::render_metrics();
      return reply(scrape);
    }
    auto match = router->match(request.method, request.path);
    if (match.kind == Router::Match::Kind::not_found) {
      return reply(write_admin_error(AdminError(AdminErrorCode::not_found, "no such resource")));
    }
    if (match.kind == Router::Match::Kind::method_not_allowed) {
      auto response = write_admin_error(
          AdminError(AdminErrorCode::method_not_allowed, request.method + " is not allowed here"));
      response.with_header("Allow", join(match.allowed));
      return reply(response);
    }
    request.params = std::move(match.params);
    // Request syntax before the key, as on the public port (SPEC §3.1, §6):
    // no handler, limiter or log field ever sees a NUL, a control
    // character or invalid UTF-8 from the path or the query.
    if (auto unclean = unclean_parameter(request)) return reply(write_admin_error(*unclean));
    const AdminHandler* handler = match.handler;
    workers.post(
        [&services, handler, request = std::move(request), reply] {
          auto response = run_handler(services, *handler, request);
          // The one place where a change becomes visible here at once: every
          // write announces itself in its transaction, and this waits for the
          // announcement to reach this instance's caches before answering.
          if (request.method != "GET") services.changes.wait_for_committed_changes();
          reply(std::move(response));
        },
        [reply] {
          reply(write_admin_error(
              AdminError(AdminErrorCode::temporarily_unavailable, "the server is busy; retry")));
        });
  };
}

}  // namespace tessera::admin
