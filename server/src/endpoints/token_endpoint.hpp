#pragma once

#include "endpoints/exchange.hpp"
#include "endpoints/outcome.hpp"
#include "endpoints/public_services.hpp"

namespace tessera::endpoints {

// POST /t/{tenant}/oauth/token (RFC 6749 §4.4, SPEC §3.1), once routing has
// found the tenant. On a reactor thread it answers from cached data; a
// cache miss goes on at a worker, an imported secret at the Argon2id pool.
// A token comes as Outcome::issue: its answer goes out once its record
// committed.
Outcome token_endpoint(PublicServices& services, Exchange& exchange);

}  // namespace tessera::endpoints
