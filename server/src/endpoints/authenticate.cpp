#include "endpoints/authenticate.hpp"

namespace tessera::endpoints {

std::optional<Stage> authenticate(PublicServices& services, const Exchange& exchange,
                                  grants::ClientCheck& check) {
  using Progress = grants::ClientCheck::Progress;
  switch (check.advance(services.client_checking(), *exchange.tenant, exchange.may_load(),
                        exchange.stage == Stage::argon2)) {
    case Progress::needs_database: return Stage::worker;
    case Progress::needs_argon2: return Stage::argon2;
    case Progress::authenticated: break;
  }
  return std::nullopt;
}

}  // namespace tessera::endpoints
