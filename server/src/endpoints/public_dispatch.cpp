#include "endpoints/public_dispatch.hpp"

#include "endpoints/health.hpp"
#include "http/oauth_error_writer.hpp"

namespace tessera::endpoints {

using domain::OAuthError;
using domain::OAuthErrorCode;

http::Response public_listener_error(int status, const std::string& message) {
  OAuthErrorCode code = OAuthErrorCode::server_error;
  if (status == 413) code = OAuthErrorCode::invalid_request;
  if (status == 503) code = OAuthErrorCode::temporarily_unavailable;
  return http::write_oauth_error(OAuthError(code, message, status));
}

http::Dispatch make_public_dispatch(http::WorkerPool& workers, store::HealthCheck& health) {
  return [&workers, &health](http::Request&& request, http::Reply reply) {
    if (request.path == "/healthz" || request.path == "/readyz") {
      if (request.method != "GET") {
        auto response = http::write_oauth_error(
            OAuthError(OAuthErrorCode::method_not_allowed, "use GET", 405));
        return reply(response.with_header("Allow", "GET"));
      }
      if (request.path == "/healthz") return reply(healthz());
      return readyz(health, workers, reply);
    }
    reply(http::write_oauth_error(OAuthError(OAuthErrorCode::not_found, "no such endpoint", 404)));
  };
}

}  // namespace tessera::endpoints
