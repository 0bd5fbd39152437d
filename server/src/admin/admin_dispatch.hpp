#pragma once

#include "admin/admin_call.hpp"
#include "endpoints/health.hpp"
#include "http/listener.hpp"
#include "http/worker_pool.hpp"

namespace tessera::admin {

// Routes the admin listener: /admin/v1/… (authenticated, run on workers),
// /healthz, /readyz. 404 and 405 answer inline.
http::Dispatch make_admin_dispatch(AdminServices& services, http::WorkerPool& workers,
                                   const endpoints::Readiness& readiness);

// The admin listener's own error answers (413, 503 while draining, 500).
http::Response admin_listener_error(int status, const std::string& message);

}  // namespace tessera::admin
