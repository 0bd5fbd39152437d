#pragma once

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
  invalid_target,  // RFC 8707 §2
  not_found,
  method_not_allowed,
  too_many_requests,
  temporarily_unavailable,
  server_error,
};

const char* to_string(OAuthErrorCode code);

// The one error type of the OAuth endpoints: code, description and status.
// Descriptions never contain a secret or a token.
class OAuthError : public std::runtime_error {
 public:
  OAuthError(OAuthErrorCode code, const std::string& description, int status = 400)
      : std::runtime_error(description), code_(code), status_(status) {}
  OAuthErrorCode code() const { return code_; }
  int status() const { return status_; }

 private:
  OAuthErrorCode code_;
  int status_;
};

}  // namespace tessera::domain
