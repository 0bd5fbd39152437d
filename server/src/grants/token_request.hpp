#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/basic_auth.hpp"
#include "http/oauth_params.hpp"

namespace tessera::grants {

// How the client authenticated (RFC 6749 §2.3.1).
enum class AuthMethod { client_secret_basic, client_secret_post, none };

// A syntactically valid token request (SPEC §3.1 check 2 passed).
struct TokenRequest {
  std::string grant_type;
  std::optional<std::string> scope;
  // The audience named by `audience`, `aud` or a single `resource` value.
  std::optional<std::string> audience;
  std::vector<std::string> distinct_resources;
  AuthMethod auth_method = AuthMethod::none;
  std::string client_id;  // empty with AuthMethod::none
  std::string client_secret;
};

// The fields a token request may carry; the rest are ignored.
const std::vector<std::string>& token_request_fields();

// Check 2 of SPEC §3.1, after the body was parsed: missing grant_type, Basic
// and body credentials together, a body client_id that differs from Basic,
// disagreeing audience synonyms, a malformed Authorization header. Throws
// domain::OAuthError invalid_request; another scheme than Basic is
// invalid_client (401).
TokenRequest read_token_request(const http::OAuthParams& params,
                                const http::ParsedAuthorization& authorization);

// Client credentials alone (introspection and revocation authenticate the
// same way, SPEC §3.2–3.3): the same rules for Basic vs body.
void read_client_credentials(const http::OAuthParams& params,
                             const http::ParsedAuthorization& authorization, TokenRequest& out);

}  // namespace tessera::grants
