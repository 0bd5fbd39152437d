#pragma once

#include "domain/oauth_error.hpp"
#include "http/response.hpp"

namespace tessera::http {

// The one writer of OAuth errors (RFC 6749 §5.2): JSON
// {"error","error_description"} with Cache-Control: no-store and Pragma:
// no-cache, as every answer of the OAuth endpoints carries.
Response write_oauth_error(const domain::OAuthError& error);

// The headers RFC 6749 §5.1 asks of token responses, used on every answer
// of the OAuth endpoints.
void add_no_store(Response& response);

}  // namespace tessera::http
