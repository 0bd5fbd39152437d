#include "domain/oauth_error.hpp"

namespace tessera::domain {

const char* to_string(OAuthErrorCode code) {
  switch (code) {
    case OAuthErrorCode::invalid_request: return "invalid_request";
    case OAuthErrorCode::invalid_client: return "invalid_client";
    case OAuthErrorCode::invalid_grant: return "invalid_grant";
    case OAuthErrorCode::unauthorized_client: return "unauthorized_client";
    case OAuthErrorCode::unsupported_grant_type: return "unsupported_grant_type";
    case OAuthErrorCode::invalid_scope: return "invalid_scope";
    case OAuthErrorCode::invalid_target: return "invalid_target";
    case OAuthErrorCode::not_found: return "not_found";
    case OAuthErrorCode::method_not_allowed: return "method_not_allowed";
    case OAuthErrorCode::too_many_requests: return "too_many_requests";
    case OAuthErrorCode::temporarily_unavailable: return "temporarily_unavailable";
    case OAuthErrorCode::server_error: return "server_error";
  }
  return "server_error";
}

}  // namespace tessera::domain
