#include "domain/oauth_error.hpp"

namespace tessera::domain {
const char* to_string(OAuthErrorCode code) {
  switch (code) {
    case OAuthErrorCode::invalid_request:
      return "invalid_request";
    case OAuthErrorCode::invalid_client:
      return "invalid_client";
    case OAuthErrorCode::invalid_grant:
      return "invalid_grant";
    case OAuthErrorCode::unauthorized_client:
      return "unauthorized_client";
    case OAuthErrorCode::unsupported_grant_type:
      return "unsupported_grant_type";
    case OAuthErrorCode::invalid_scope:
      return "invalid_scope";
    case OAuthErrorCode::invalid_target:
      return "invalid_target";
    case OAuthErrorCode::invalid_dpop_proof:
      return "invalid_dpop_proof";
    case OAuthErrorCode::use_dpop_nonce:
      return "use_dpop_nonce";
    case OAuthErrorCode::not_found:
      return "not_found";
    case OAuthErrorCode::method_not_allowed:
      return "method_not_allowed";
    case OAuthErrorCode::too_many_requests:
      return "too_many_requests";
    case OAuthErrorCode::temporarily_unavailable:
      return "temporarily_unavailable";
    case OAuthErrorCode::server_error:
      return "server_error";
  }
  return "server_error";
}

int status_of(OAuthErrorCode code) {
  switch (code) {
    case OAuthErrorCode::invalid_client:
      return 401;
    case OAuthErrorCode::not_found:
      return 404;
    case OAuthErrorCode::method_not_allowed:
      return 405;
    case OAuthErrorCode::too_many_requests:
      return 429;
    case OAuthErrorCode::temporarily_unavailable:
      return 503;
    case OAuthErrorCode::server_error:
      return 500;
    case OAuthErrorCode::invalid_request:
    case OAuthErrorCode::invalid_grant:
    case OAuthErrorCode::unauthorized_client:
    case OAuthErrorCode::unsupported_grant_type:
    case OAuthErrorCode::invalid_scope:
    case OAuthErrorCode::invalid_target:
    case OAuthErrorCode::invalid_dpop_proof:
    case OAuthErrorCode::use_dpop_nonce:
      break;
  }
  return 400;
}

OAuthError OAuthError::http_refusal(int status, const std::string& description) {
  auto code = OAuthErrorCode::server_error;
  if (status >= 400 && status < 500) code = OAuthErrorCode::invalid_request;
  if (status == 503) code = OAuthErrorCode::temporarily_unavailable;
  OAuthError error(code, description);
  error.status_ = status;
  return error;
}

OAuthError OAuthError::forbidden(const std::string& description) {
  OAuthError error(OAuthErrorCode::unauthorized_client, description);
  error.status_ = 403;
  return error;
}

OAuthError OAuthError::rate_limited(int seconds) {
  OAuthError error(OAuthErrorCode::too_many_requests, "too many failed attempts");
  error.retry_after_ = seconds;
  return error;
}

OAuthError OAuthError::dpop_nonce_needed(std::string nonce) {
  OAuthError error(OAuthErrorCode::use_dpop_nonce,
                   "the DPoP proof must carry the nonce given in the DPoP-Nonce header");
  error.dpop_nonce_ = std::move(nonce);
  return error;
}

}  // namespace tessera::domain
