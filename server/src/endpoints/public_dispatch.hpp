#pragma once

#include "http/listener.hpp"
#include "http/worker_pool.hpp"
#include "store/health_check.hpp"

namespace tessera::endpoints {

// Routes the public listener (SPEC §3).
http::Dispatch make_public_dispatch(http::WorkerPool& workers, store::HealthCheck& health);

// The public listener's own error answers, as OAuth errors.
http::Response public_listener_error(int status, const std::string& message);

}  // namespace tessera::endpoints
