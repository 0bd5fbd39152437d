#pragma once

#include "endpoints/token_endpoint.hpp"
#include "http/listener.hpp"
#include "http/worker_pool.hpp"
#include "store/database_state.hpp"

namespace tessera::endpoints {

// Routes the public listener (SPEC §3): /healthz and /readyz, then the
// tenant (path prefix /t/{tenant}, else the Host header), then the endpoint.
// Check order of SPEC §3.1: unknown tenant 404, wrong method 405, body over
// 64 KiB 413, then the endpoint's own checks.
http::Dispatch make_public_dispatch(PublicServices& services, const store::DatabaseState& database);

// The public listener's own error answers, as OAuth errors.
http::Response public_listener_error(int status, const std::string& message);

// Largest body an OAuth endpoint accepts.
inline constexpr std::size_t kMaxPublicBody = 64 * 1024;

}  // namespace tessera::endpoints
