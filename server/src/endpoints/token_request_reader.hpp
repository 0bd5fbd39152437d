#pragma once

#include <string>
#include <vector>

#include "grants/token_request.hpp"
#include "http/basic_auth.hpp"
#include "http/oauth_params.hpp"

namespace tessera::endpoints {

// The fields a token request may carry; the rest are ignored.
const std::vector<std::string>& token_request_fields();

// The fields of a request that presents a token (introspection, RFC 7662
// §2.1; revocation, RFC 7009 §2.1) with the client's credentials in the
// body (RFC 6749 §2.3.1).
const std::vector<std::string>& token_presentation_fields();

// Check 2 of SPEC §3.1, after the body was parsed: missing grant_type, Basic
// and body credentials together, a body client_id that differs from Basic,
// disagreeing audience synonyms, a malformed Authorization header. Throws
// domain::OAuthError invalid_request; another scheme than Basic is
// invalid_client (401).
grants::TokenRequest read_token_request(const http::OAuthParams& params,
                                        const http::ParsedAuthorization& authorization);

// Client credentials alone (introspection and revocation authenticate the
// same way, SPEC §3.2–3.3): the same rules for Basic vs body.
void read_client_credentials(const http::OAuthParams& params,
                             const http::ParsedAuthorization& authorization,
                             grants::TokenRequest& out);

}  // namespace tessera::endpoints
