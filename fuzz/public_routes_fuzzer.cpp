// Fuzzes routing (http/router, endpoints/public_routes): each input is tried
// as a request path against the admin route table and the public tenant
// paths, and as a Host header.

#include <string>
#include <vector>

#include "domain/validation.hpp"
#include "endpoints/public_routes.hpp"
#include "fuzz_check.hpp"
#include "http/router.hpp"

namespace {

using tessera::endpoints::PublicEndpoint;
using Router = tessera::http::Router<int>;
using Kind = Router::Match::Kind;

const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};

// The admin API's route table (admin/admin_dispatch.cpp: make_router), with
// numbers for handlers: linking the real handlers would bring the store.
Router make_admin_router() {
  Router r;
  const std::string base = "/admin/v1";
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", "/tenants"},
      {"GET", "/tenants"},
      {"GET", "/tenants/:t"},
      {"PATCH", "/tenants/:t"},
      {"DELETE", "/tenants/:t"},
      {"POST", "/tenants/:t/apis"},
      {"GET", "/tenants/:t/apis"},
      {"GET", "/tenants/:t/apis/:api"},
      {"PATCH", "/tenants/:t/apis/:api"},
      {"DELETE", "/tenants/:t/apis/:api"},
      {"POST", "/tenants/:t/clients"},
      {"GET", "/tenants/:t/clients"},
      {"GET", "/tenants/:t/clients/:c"},
      {"PATCH", "/tenants/:t/clients/:c"},
      {"DELETE", "/tenants/:t/clients/:c"},
      {"GET", "/tenants/:t/clients/:c/grants"},
      {"PUT", "/tenants/:t/clients/:c/grants/:api"},
      {"DELETE", "/tenants/:t/clients/:c/grants/:api"},
      {"GET", "/tenants/:t/clients/:c/secrets"},
      {"POST", "/tenants/:t/clients/:c/secrets"},
      {"DELETE", "/tenants/:t/clients/:c/secrets/:id"},
      {"GET", "/tenants/:t/tokens"},
      {"POST", "/tenants/:t/tokens/revoke"},
      {"GET", "/tenants/:t/tokens/:id"},
      {"DELETE", "/tenants/:t/tokens/:id"},
      {"GET", "/tenants/:t/signing-keys"},
      {"POST", "/tenants/:t/signing-keys/rotate"},
      {"GET", "/tenants/:t/audit-events"},
      {"POST", "/admin-keys"},
      {"GET", "/admin-keys"},
      {"DELETE", "/admin-keys/:id"},
  };
  for (std::size_t i = 0; i < routes.size(); ++i) {
    r.add(routes[i].first, base + routes[i].second, static_cast<int>(i));
  }
  return r;
}

void check_router(const Router& router, std::string_view path) {
  bool known = false, unknown = false;
  for (const auto& method : kMethods) {
    const auto match = router.match(method, path);
    switch (match.kind) {
      case Kind::found:
        FUZZ_CHECK(match.handler != nullptr);
        for (const auto& [name, value] : match.params) {
          FUZZ_CHECK(!name.empty() && !value.empty());
          FUZZ_CHECK(value.size() <= path.size());
        }
        known = true;
        break;
      case Kind::method_not_allowed:
        FUZZ_CHECK(match.handler == nullptr && !match.allowed.empty());
        for (const auto& allowed : match.allowed) FUZZ_CHECK(allowed != method);
        known = true;
        break;
      case Kind::not_found:
        FUZZ_CHECK(match.handler == nullptr && match.allowed.empty());
        unknown = true;
        break;
    }
  }
  // A path is known or unknown whatever the method (404 versus 405).
  FUZZ_CHECK(!(known && unknown));
}

void check_tenant_path(std::string_view path) {
  const auto split = tessera::endpoints::split_tenant_path(path);
  if (split.slug) {
    FUZZ_CHECK(split.slug->find('/') == std::string::npos);
    FUZZ_CHECK(split.slug->size() + split.rest.size() < path.size());
  } else {
    FUZZ_CHECK(split.rest == path);
  }
  const auto endpoint = tessera::endpoints::endpoint_for(split.rest);
  if (endpoint != PublicEndpoint::unknown) FUZZ_CHECK(split.rest.size() <= path.size());
  // A slug the routing accepts is plain text: it goes into a log line and a
  // cache key.
  if (split.slug && tessera::domain::is_valid_slug(*split.slug)) {
    for (char c : *split.slug) FUZZ_CHECK(c >= '-' && c <= 'z');
  }
}

void check_host(std::string_view host) {
  const auto name = tessera::endpoints::host_name(host);
  FUZZ_CHECK(name.size() <= host.size());
  for (char c : name) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
  FUZZ_CHECK(tessera::domain::normalize_domain(name) == name);
  if (tessera::domain::is_valid_domain(name)) {
    FUZZ_CHECK(name.find(':') == std::string::npos);
    // With a port added, the same host name comes out.
    FUZZ_CHECK(tessera::endpoints::host_name(name + ":8080") == name);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Router admin = make_admin_router();
  const auto text = tessera::fuzz::text_of(data, size);
  check_router(admin, text);
  check_tenant_path(text);
  check_host(text);
  return 0;
}
