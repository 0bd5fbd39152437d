#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace tessera::domain {

// RFC 6749 §5.2 error codes, plus the few the public endpoints add (SPEC §3).
enum class OAuthErrorCode {
  invalid_request,
  invalid_client,
  invalid_grant,
  unauthorized_client,
  unsupported_grant_type,
  invalid_scope,
  invalid_target,      // RFC 8707 §2
  invalid_dpop_proof,  // RFC 9449 §5
  use_dpop_nonce,      // RFC 9449 §8
  not_found,
  method_not_allowed,
  too_many_requests,
  temporarily_unavailable,
  server_error,
};

const char* to_string(OAuthErrorCode code);

// The HTTP status of a code: 401 invalid_client (RFC 6749 §5.2), 404, 405,
// 429, 503, 500 for the codes named after one, 400 for the rest.
int status_of(OAuthErrorCode code);

// The one error type of the OAuth endpoints: code, description, status
// (derived from the code) and, for a passing refusal, when to come back.
// Descriptions never contain a secret or a token.
class OAuthError : public std::runtime_error {
 public:
  OAuthError(OAuthErrorCode code, const std::string& description)
      : std::runtime_error(description), code_(code), status_(status_of(code)) {}

  OAuthErrorCode code() const { return code_; }
  int status() const { return status_; }
  // Retry-After in seconds: set on every 429 and 503.
  std::optional<int> retry_after() const { return retry_after_; }
  // The DPoP-Nonce to send with use_dpop_nonce (RFC 9449 §8).
  const std::optional<std::string>& dpop_nonce() const { return dpop_nonce_; }

  // A refusal of the HTTP layer (400, 408, 411, 413, 414, 431, 503, 500):
  // the status is given, the code follows from it (invalid_request for a
  // 4xx, temporarily_unavailable for 503, else server_error).
  static OAuthError http_refusal(int status, const std::string& description);
  // unauthorized_client with 403: a valid client that may not introspect
  // (SPEC §3.2); elsewhere unauthorized_client is 400.
  static OAuthError forbidden(const std::string& description);
  // 429 too_many_requests, to come back after `seconds`.
  static OAuthError rate_limited(int seconds);
  // 400 use_dpop_nonce: the DPoP proof must carry `nonce` (RFC 9449 §8).
  static OAuthError dpop_nonce_needed(std::string nonce);

 private:
  OAuthErrorCode code_;
  int status_;
  std::optional<int> retry_after_;
  std::optional<std::string> dpop_nonce_;
};

}  // namespace tessera::domain
