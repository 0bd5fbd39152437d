#include "http/oauth_error_writer.hpp"

namespace tessera::http {

void add_no_store(Response& response) {
  response.with_header("Cache-Control", "no-store").with_header("Pragma", "no-cache");
}

Response write_oauth_error(const domain::OAuthError& error) {
  auto response = json_response(error.status(), {{"error", domain::to_string(error.code())},
                                                 {"error_description", error.what()}});
  add_no_store(response);
  response.oauth_error = error.code();
  // A 429 or 503 passes (a limit, a full queue, a database away): say when
  // to come back.
  if (const auto seconds = error.retry_after()) {
    response.with_header("Retry-After", std::to_string(*seconds));
  } else if (error.status() == 503) {
    response.with_header("Retry-After", std::to_string(kRetryAfterSeconds));
  }
  if (const auto& nonce = error.dpop_nonce()) response.with_header("DPoP-Nonce", *nonce);
  return response;
}

}  // namespace tessera::http
