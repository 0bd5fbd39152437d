#pragma once

#include "endpoints/exchange.hpp"
#include "endpoints/outcome.hpp"
#include "endpoints/public_services.hpp"

namespace tessera::endpoints {

// POST /t/{tenant}/oauth/revoke (RFC 7009, SPEC §3.3): a client revokes its
// own tokens; 200 whether or not the token existed. Writes the token's
// record, so on a reactor thread it goes on at a worker before anything.
Outcome revocation_endpoint(PublicServices& services, Exchange& exchange);

}  // namespace tessera::endpoints
