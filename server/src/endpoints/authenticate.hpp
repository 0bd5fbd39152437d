#pragma once

#include <optional>

#include "endpoints/exchange.hpp"
#include "endpoints/public_services.hpp"
#include "grants/client_check.hpp"

namespace tessera::endpoints {

// Advances a client check as far as the exchange's stage allows (a worker
// may read the database, the Argon2id pool may check imported secrets):
// nothing once the client is authenticated, else the stage to go on at.
// Throws what ClientCheck::advance throws.
std::optional<Stage> authenticate(PublicServices& services, const Exchange& exchange,
                                  grants::ClientCheck& check);

}  // namespace tessera::endpoints
