#include "endpoints/health.hpp"

namespace tessera::endpoints {

http::Response healthz() {
  http::Response response;
  response.body = R"({"status":"ok"})";
  return response;
}

void readyz(store::HealthCheck& health, http::WorkerPool& workers, const http::Reply& reply) {
  workers.post([&health, reply] {
    if (health.database_reachable()) {
      reply(http::json_response(200, {{"status", "ready"}}));
    } else {
      reply(http::json_response(503, {{"status", "unavailable"},
                                      {"error", "temporarily_unavailable"}}));
    }
  });
}

}  // namespace tessera::endpoints
