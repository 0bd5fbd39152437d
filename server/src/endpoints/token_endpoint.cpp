#include "endpoints/token_endpoint.hpp"

#include "crypto/uuid7.hpp"
#include "domain/scope.hpp"
#include "endpoints/authenticate.hpp"
#include "endpoints/token_request_reader.hpp"
#include "grants/client_credentials.hpp"
#include "http/oauth_error_writer.hpp"
#include "tokens/jwt_token.hpp"
#include "tokens/opaque_token.hpp"

namespace tessera::endpoints {
namespace {

http::Response token_success(const std::string& token, int expires_in, const std::string& scope) {
  http::Response response;
  response.body.reserve(token.size() + scope.size() + 96);
  response.body += R"({"access_token":")";
  response.body += token;
  response.body += R"(","token_type":"Bearer","expires_in":)";
  response.body += std::to_string(expires_in);
  response.body += R"(,"scope":")";
  response.body += scope;  // scope values never need JSON escaping
  response.body += "\"}";
  http::add_no_store(response);
  return response;
}

// A token request that was read, on its way to a token: what it holds
// stays computed from one stage to the next.
struct TokenFlow {
  grants::TokenRequest request;
  grants::ClientCheck check;

  Outcome operator()(PublicServices& services, Exchange& exchange);
};

Outcome TokenFlow::operator()(PublicServices& services, Exchange& exchange) {
  if (const auto stage = authenticate(services, exchange, check, /*for_token=*/true)) {
    return Outcome::continue_at(*stage, std::move(*this));
  }
  const auto& tenant = *exchange.tenant;
  const auto& client = check.client();
  const auto plan = grants::decide_client_credentials(request, tenant, *client.client);
  if (plan.format == domain::TokenFormat::jwt && tokens::signs_off_reactor(plan.signing_alg) &&
      exchange.stage == Stage::reactor) {
    // An RSA signature takes about a millisecond: on a reactor thread it
    // would hold up every connection of that thread. A worker signs it (the
    // pool's bound turns a burst into 503s, not a backlog).
    return Outcome::continue_at(Stage::worker, std::move(*this));
  }
  const auto now = exchange.now;

  store::TokenRecord record;
  record.tenant_id = tenant.tenant.id;
  record.id = crypto::uuid7(now);
  record.client_id = client.client->client.client_id.value;  // as stored
  record.secret_id = client.secret_id;
  if (client.assertion) {
    record.assertion_jti = client.assertion->jti;
    record.assertion_expires_at = client.assertion->expires_at;
  }
  record.api_id = plan.api->id;
  record.scope = domain::join_scopes(plan.scopes);
  record.format = plan.format;
  record.issued_at = now;
  record.expires_at = now + std::chrono::seconds(plan.ttl_seconds);
  std::string token;
  if (plan.format == domain::TokenFormat::jwt) {
    // RFC 9068: the token is self-contained; the record keeps its jti only.
    tokens::JwtClaims claims;
    claims.iss = services.issuer(tenant.tenant.slug);
    claims.client_id = record.client_id;
    claims.aud = plan.api->identifier;
    claims.iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    claims.exp = claims.iat + plan.ttl_seconds;
    claims.jti = crypto::uuid_text(record.id);
    claims.scope = record.scope;
    record.issued_at = domain::Timestamp(std::chrono::seconds(claims.iat));
    record.expires_at = domain::Timestamp(std::chrono::seconds(claims.exp));
    token = tokens::mint_jwt(tenant, claims, plan.signing_alg);
  } else {
    auto opaque = tokens::mint_opaque_token(services.token_keys.current(), record.id);
    record.token_hash = std::move(opaque.hash);
    record.master_key = services.token_keys.current_id();
    token = std::move(opaque.value);
  }

  exchange.log_client_id = record.client_id;
  auto response = token_success(token, plan.ttl_seconds, record.scope);
  std::function<void()> on_committed;
  if (!client.assertion) {  // a secret was used: its last use is recorded
    on_committed = [&usage = services.usage, tenant_id = record.tenant_id,
                    client_id = record.client_id, secret_id = client.secret_id,
                    now] { usage.mark_used(tenant_id, client_id, secret_id, now); };
  }
  return Outcome::issue(std::move(record), std::move(response), std::move(on_committed));
}

}  // namespace

Outcome token_endpoint(PublicServices& services, Exchange& exchange) {
  const auto params =
      http::parse_oauth_params(exchange.request, token_request_fields(), {"resource"});
  auto request = read_token_request(
      params, http::parse_authorization(exchange.request.header("authorization")));
  exchange.presented(request);
  grants::ClientCheck check(request, exchange.request.remote_address, exchange.now);
  return TokenFlow{std::move(request), std::move(check)}(services, exchange);
}

}  // namespace tessera::endpoints
