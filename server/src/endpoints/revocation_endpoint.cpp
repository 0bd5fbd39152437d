#include "endpoints/revocation_endpoint.hpp"

#include "endpoints/authenticate.hpp"
#include "endpoints/token_lookup.hpp"
#include "endpoints/token_request_reader.hpp"
#include "http/oauth_error_writer.hpp"
#include "http/oauth_params.hpp"

namespace tessera::endpoints {
namespace {

using domain::OAuthError;
using domain::OAuthErrorCode;

// A revocation request on its way: the client is authenticated (perhaps at
// the Argon2id pool) before the token is looked at.
struct RevocationFlow {
  std::optional<std::string> token;
  grants::ClientCheck check;

  Outcome operator()(PublicServices& services, Exchange& exchange);
};

Outcome RevocationFlow::operator()(PublicServices& services, Exchange& exchange) {
  if (const auto stage = authenticate(services, exchange, check)) {
    return Outcome::continue_at(*stage, std::move(*this));
  }
  if (!token) throw OAuthError(OAuthErrorCode::invalid_request, "token is required");
  const auto& tenant = *exchange.tenant;
  const auto found = find_presented_token(services, tenant, *token, true);
  if (found.found()) {
    // RFC 7009 §2.1: a client may revoke only tokens issued to it.
    if (found.value->status.client_id != check.client().client->client.client_id.value) {
      throw OAuthError(OAuthErrorCode::unauthorized_client,
                       "the token was issued to another client");
    }
    if (!found.value->status.revoked) {
      services.token_status.revoke(tenant.tenant.id, found.value->id);
      services.changes.wait_for_committed_changes();
    }
  }
  // RFC 7009 §2.2: 200 whether or not the token existed.
  auto response = http::empty_response(200);
  http::add_no_store(response);
  return Outcome::answer(std::move(response));
}

}  // namespace

Outcome revocation_endpoint(PublicServices& services, Exchange& exchange) {
  if (exchange.stage == Stage::reactor)
    return Outcome::continue_at(Stage::worker, revocation_endpoint);
  const auto params = http::parse_oauth_params(exchange.request, token_presentation_fields(), {});
  auto check = start_client_check(params, exchange);
  return RevocationFlow{params.get("token"), std::move(check)}(services, exchange);
}

}  // namespace tessera::endpoints
