#include "endpoints/authenticate.hpp"

#include "endpoints/token_request_reader.hpp"
#include "http/basic_auth.hpp"

namespace tessera::endpoints {

grants::ClientCheck start_client_check(const http::OAuthParams& params, Exchange& exchange) {
  grants::TokenRequest credentials;
  read_client_credentials(
      params, http::parse_authorization(exchange.request.header("authorization")), credentials);
  exchange.presented(credentials);
  return grants::ClientCheck(credentials, exchange.request.remote_address, exchange.now);
}

std::optional<Stage> authenticate(PublicServices& services, const Exchange& exchange,
                                  grants::ClientCheck& check, bool for_token) {
  using Progress = grants::ClientCheck::Progress;
  switch (check.advance(services.client_checking(!for_token), *exchange.tenant, exchange.may_load(),
                        exchange.stage == Stage::argon2)) {
    case Progress::needs_database:
      return Stage::worker;
    case Progress::needs_argon2:
      return Stage::argon2;
    case Progress::authenticated:
      break;
  }
  if (auto rehash = check.take_rehash()) {
    const auto& client = *check.client().client;
    services.usage.rehash(client.client.tenant_id, client.client.client_id.value,
                          check.client().secret_id, *rehash);
  }
  return std::nullopt;
}

}  // namespace tessera::endpoints
