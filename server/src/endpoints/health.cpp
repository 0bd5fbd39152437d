#include "endpoints/health.hpp"

namespace tessera::endpoints {

http::Response healthz() {
  http::Response response;
  response.body = R"({"status":"ok"})";
  return response;
}

http::Response readyz(const Readiness& readiness) {
  if (readiness.ready()) return http::json_response(200, {{"status", "ready"}});
  auto response =
      http::json_response(503, {{"status", "unavailable"}, {"error", "temporarily_unavailable"}});
  return response.with_header("Retry-After", std::to_string(http::kRetryAfterSeconds));
}

}  // namespace tessera::endpoints
