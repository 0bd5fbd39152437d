#pragma once

#include "endpoints/exchange.hpp"
#include "endpoints/health.hpp"
#include "endpoints/outcome.hpp"
#include "endpoints/public_services.hpp"
#include "http/listener.hpp"
#include "http/worker_pool.hpp"

namespace tessera::endpoints {

// Routes the public listener (SPEC §3): /healthz and /readyz, then the
// tenant (path prefix /t/{tenant}, else the Host header), then the endpoint.
// Check order of SPEC §3.1: unknown tenant 404, wrong method 405, body over
// 64 KiB 413, then the endpoint's own checks.
http::Dispatch make_public_dispatch(PublicServices& services, const Readiness& readiness);

// The first step of every tenant's request (SPEC §3.1 check 1, in its
// order): the tenant (unknown: 404), the endpoint (404), the method (405),
// the body's size (413), then the endpoint's own step.
Outcome route_public_request(PublicServices& services, Exchange& exchange);

// The public listener's own error answers, as OAuth errors.
http::Response public_listener_error(int status, const std::string& message);

// Largest body an OAuth endpoint accepts.
inline constexpr std::size_t kMaxPublicBody = 64 * 1024;

}  // namespace tessera::endpoints
