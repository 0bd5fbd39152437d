#include "endpoints/token_endpoint.hpp"

#include "crypto/uuid7.hpp"
#include "domain/http_uri.hpp"
#include "domain/scope.hpp"
#include "endpoints/authenticate.hpp"
#include "endpoints/public_routes.hpp"
#include "endpoints/token_request_reader.hpp"
#include "grants/client_credentials.hpp"
#include "http/oauth_error_writer.hpp"
#include "tokens/jwt_token.hpp"
#include "tokens/opaque_token.hpp"

namespace tessera::endpoints {
namespace {

http::Response token_success(const std::string& token, bool dpop_bound, int expires_in,
                             const std::string& scope) {
  http::Response response;
  response.body.reserve(token.size() + scope.size() + 96);
  response.body += R"({"access_token":")";
  response.body += token;
  // RFC 9449 §5.1: a bound token's type is DPoP.
  response.body += dpop_bound ? R"(","token_type":"DPoP","expires_in":)"
                              : R"(","token_type":"Bearer","expires_in":)";
  response.body += std::to_string(expires_in);
  response.body += R"(,"scope":")";
  response.body += scope;  // scope values never need JSON escaping
  response.body += "\"}";
  http::add_no_store(response);
  return response;
}

// The DPoP proofs a request carries (RFC 9449 §4.1: one is allowed; more
// are refused, so all are read).
std::vector<std::string> dpop_proofs(const http::Request& request) {
  std::vector<std::string> proofs;
  for (const auto& [name, value] : request.headers) {
    if (name == "dpop") proofs.push_back(value);
  }
  return proofs;
}

// RFC 9449 §4.3: the URL a proof must name in `htu`. This endpoint under
// the issuer base, which is where clients reach the server (behind a
// proxy, the server cannot see the scheme and host they used); for a
// tenant found by its own domain, under that domain.
grants::DpopTarget dpop_target(const PublicServices& services, const http::Request& request) {
  grants::DpopTarget target{request.method, {}};
  std::string uri = services.issuer_base + request.path;
  if (!split_tenant_path(request.path).slug) {
    const auto scheme_end = services.issuer_base.find("://");
    const auto host = request.header("host");
    if (scheme_end == std::string::npos || !host) return target;
    uri = services.issuer_base.substr(0, scheme_end + 3) + *host + request.path;
  }
  if (auto normal = domain::normalise_http_uri(uri)) target.uris.push_back(std::move(*normal));
  return target;
}

// A token request that was read, on its way to a token: what it holds
// stays computed from one stage to the next.
struct TokenFlow {
  grants::TokenRequest request;
  grants::ClientCheck check;
  // Checked once, after the request passed SPEC §3.1's checks 1-6: a
  // proof's jti is used when it is checked, so it is never checked twice.
  bool dpop_checked = false;
  std::optional<grants::DpopBinding> dpop;  // none: a Bearer token

  Outcome operator()(PublicServices& services, Exchange& exchange);
};

Outcome TokenFlow::operator()(PublicServices& services, Exchange& exchange) {
  if (const auto stage = authenticate(services, exchange, check, /*for_token=*/true)) {
    return Outcome::continue_at(*stage, std::move(*this));
  }
  const auto& tenant = *exchange.tenant;
  const auto& client = check.client();
  const auto plan = grants::decide_client_credentials(request, tenant, *client.client);
  // After checks 4-6 (a request refused there does not use its proof), and
  // once: a proof's jti is used when it is checked.
  if (!dpop_checked) {
    const auto proofs = dpop_proofs(exchange.request);
    // The URL a proof must name, only when there is a proof to check.
    const auto target =
        proofs.empty() ? grants::DpopTarget{} : dpop_target(services, exchange.request);
    auto checked = grants::check_dpop(services.dpop_checking(), proofs, target, tenant.tenant.id,
                                      client.client->client, exchange.now, exchange.may_load());
    // A P-256 or RSA key seen for the first time takes about 0.3 ms to
    // read: a worker reads it, not a reactor thread (kept afterwards).
    if (checked.needs_worker) return Outcome::continue_at(Stage::worker, std::move(*this));
    dpop = std::move(checked.binding);
    dpop_checked = true;
  }
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
  if (dpop) {
    record.dpop_jkt = dpop->jkt;
    record.dpop_proof_jti = dpop->jti;
    record.dpop_proof_expires_at = dpop->expires_at;
  }
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
    claims.cnf_jkt = record.dpop_jkt;
    claims.custom = client.client->claims_for(plan.api->id);
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
  auto response = token_success(token, dpop.has_value(), plan.ttl_seconds, record.scope);
  // RFC 9449 §8.2: the nonce to use next, before the one held goes stale.
  const auto& settings = client.client->client;
  if (settings.dpop_nonce && dpop) {
    response.with_header(
        "DPoP-Nonce", services.dpop_nonces.issue(tenant.tenant.id, settings.client_id.value, now));
  }
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
  return TokenFlow{std::move(request), std::move(check), false, std::nullopt}(services, exchange);
}

}  // namespace tessera::endpoints
