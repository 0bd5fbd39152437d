#pragma once

#include "http/listener.hpp"
#include "http/worker_pool.hpp"
#include "store/health_check.hpp"

namespace tessera::endpoints {

// GET /healthz: answered inline from memory, no I/O and no locks; it
// measures the HTTP stack (SPEC §6).
http::Response healthz();

// GET /readyz: 200 when the database answers, else 503; runs on a worker
// because it does I/O.
void readyz(store::HealthCheck& health, http::WorkerPool& workers, const http::Reply& reply);

}  // namespace tessera::endpoints
