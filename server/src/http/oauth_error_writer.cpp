#include "http/oauth_error_writer.hpp"

namespace tessera::http {

void add_no_store(Response& response) {
  response.with_header("Cache-Control", "no-store").with_header("Pragma", "no-cache");
}

Response write_oauth_error(const domain::OAuthError& error) {
  auto response = json_response(
      error.status(), {{"error", domain::to_string(error.code())}, {"error_description", error.what()}});
  add_no_store(response);
  return response;
}

}  // namespace tessera::http
