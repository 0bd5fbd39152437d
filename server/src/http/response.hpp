#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/oauth_error.hpp"
#include "metrics/route.hpp"

namespace tessera::http {

// An HTTP response as handlers produce it. `log_tenant` and `log_client_id`
// only feed the request's log line; they are never sent.
struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string log_tenant;
  std::string log_client_id;
  // Only for /metrics, never sent either: the route the answer belongs to,
  // and the OAuth error it carries (set by write_oauth_error).
  metrics::Route route = metrics::Route::other;
  std::optional<domain::OAuthErrorCode> oauth_error;

  Response& with_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// Retry-After of every 503 (a full queue, work that waited too long, the
// database away): soon, since each of those passes in seconds.
inline constexpr int kRetryAfterSeconds = 1;

Response json_response(int status, const nlohmann::json& body);
Response empty_response(int status);

}  // namespace tessera::http
