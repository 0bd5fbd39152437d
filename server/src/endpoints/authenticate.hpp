#pragma once

#include <optional>

#include "endpoints/exchange.hpp"
#include "endpoints/public_services.hpp"
#include "grants/client_check.hpp"
#include "http/oauth_params.hpp"

namespace tessera::endpoints {

// Reads the client's credentials (Basic or body, RFC 6749 §2.3.1), notes
// them on the exchange (a 401's challenge, the log line) and starts their
// check. Throws OAuthError for malformed or conflicting credentials.
grants::ClientCheck start_client_check(const http::OAuthParams& params, Exchange& exchange);

// Advances a client check as far as the exchange's stage allows (a worker
// may read the database, the Argon2id pool may check imported secrets):
// nothing once the client is authenticated, else the stage to go on at.
// Throws what ClientCheck::advance throws.
// `for_token`: at the token endpoint, whose record stores a client
// assertion's jti; elsewhere it is stored before the request goes on.
std::optional<Stage> authenticate(PublicServices& services, const Exchange& exchange,
                                  grants::ClientCheck& check, bool for_token = false);

}  // namespace tessera::endpoints
