#include "endpoints/introspection_endpoint.hpp"

#include "admin/admin_authentication.hpp"
#include "domain/ip_address.hpp"
#include "endpoints/authenticate.hpp"
#include "endpoints/token_lookup.hpp"
#include "endpoints/token_request_reader.hpp"
#include "http/oauth_error_writer.hpp"
#include "http/oauth_params.hpp"

namespace tessera::endpoints {
namespace {

using domain::OAuthError;
using domain::OAuthErrorCode;

http::Response answer(const nlohmann::json& body) {
  auto response = http::json_response(200, body);
  http::add_no_store(response);
  return response;
}

bool is_bearer(const std::optional<std::string>& authorization) {
  return authorization && authorization->size() > 7 &&
         (authorization->compare(0, 7, "Bearer ") == 0 ||
          authorization->compare(0, 7, "bearer ") == 0);
}

// An introspection request on its way: who asks, then the token, then its
// client; each found once, kept from one stage to the next.
struct IntrospectionFlow {
  std::optional<std::string> token;
  std::optional<grants::ClientCheck> check;  // none: an admin key asks
  bool authorized = false;
  std::optional<cache::Lookup<FoundToken>> found;

  Outcome operator()(PublicServices& services, Exchange& exchange);

  // Who may introspect: an admin key of this tenant (or a superadmin), or a
  // client with can_introspect. Nothing once authorized, else the stage to
  // go on at; throws OAuthError otherwise.
  std::optional<Stage> authorize(PublicServices& services, const Exchange& exchange);
};

std::optional<Stage> IntrospectionFlow::authorize(PublicServices& services,
                                                  const Exchange& exchange) {
  if (check) {
    if (const auto stage = authenticate(services, exchange, *check)) return stage;
    if (!check->client().client->client.can_introspect) {
      throw OAuthError::forbidden("this client may not introspect tokens");
    }
    return std::nullopt;
  }
  // Admin keys are read from the database.
  if (!exchange.may_load()) return Stage::worker;
  const auto& tenant = *exchange.tenant;
  const auto actor = admin::authenticate_admin(services.admin_keys, services.admin_key_keys,
                                               exchange.request.header("authorization"));
  if (!actor || (actor->tenant && *actor->tenant != tenant.tenant.id)) {
    // Guessing admin keys here is limited as on the admin port, with the
    // admin-key counters (SPEC §6): only failures count and are refused.
    const std::string source = "admin-ip:" + domain::source_key(exchange.request.remote_address);
    const auto limited = services.admin_failures.retry_after(source, exchange.now);
    services.admin_failures.record_failure(source, exchange.now);
    if (limited) throw OAuthError::rate_limited(*limited);
    throw OAuthError(OAuthErrorCode::invalid_client, "invalid admin key");
  }
  return std::nullopt;
}

// Whether the token's record and its tenant still allow it to be active;
// its client is asked apart (it may need a worker).
bool may_be_active(const Exchange& exchange, const store::TokenStatus& status) {
  const auto& tenant = *exchange.tenant;
  return !status.revoked && status.expires_at > exchange.now &&
         tenant.tenant.status == domain::Status::active && tenant.api_by_id(status.api) != nullptr;
}

// RFC 7662 §2.2, for an active token.
nlohmann::json describe(PublicServices& services, const Exchange& exchange, const FoundToken& found,
                        const domain::ClientView& owner) {
  const auto& tenant = *exchange.tenant;
  const auto& status = found.status;
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  // The client's and grant's custom claims as they are now (a JWT carries
  // those of when it was issued); the registered members below win.
  nlohmann::json body = owner.claims_for(status.api);
  body.update(
      nlohmann::json{{"active", true},
                     {"scope", status.scope},
                     {"client_id", status.client_id},
                     {"sub", status.client_id},
                     {"aud", tenant.api_by_id(status.api)->identifier},
                     {"iss", services.issuer(tenant.tenant.slug)},
                     {"exp", duration_cast<seconds>(status.expires_at.time_since_epoch()).count()},
                     {"iat", duration_cast<seconds>(status.issued_at.time_since_epoch()).count()},
                     {"jti", crypto::uuid_text(found.id)},
                     {"token_type", status.dpop_jkt.empty() ? "Bearer" : "DPoP"}});
  // RFC 9449 §6.2: the key a DPoP-bound token is bound to.
  if (!status.dpop_jkt.empty()) body["cnf"] = {{"jkt", status.dpop_jkt}};
  return body;
}

Outcome IntrospectionFlow::operator()(PublicServices& services, Exchange& exchange) {
  if (!authorized) {
    if (const auto stage = authorize(services, exchange)) {
      return Outcome::continue_at(*stage, std::move(*this));
    }
    authorized = true;
    if (!token) throw OAuthError(OAuthErrorCode::invalid_request, "token is required");
  }
  if (!found || found->state == cache::Lookup<FoundToken>::State::miss) {
    found = find_presented_token(services, *exchange.tenant, *token, exchange.may_load());
    if (found->state == cache::Lookup<FoundToken>::State::miss) {
      return Outcome::continue_at(Stage::worker, std::move(*this));
    }
  }
  const auto inactive = [] { return Outcome::answer(answer({{"active", false}})); };
  if (!found->found() || !may_be_active(exchange, found->value->status)) return inactive();
  // A disabled or deleted client's tokens stop being active while it is so.
  const auto& tenant = *exchange.tenant;
  const auto owner = services.directory.client(tenant.tenant.id, found->value->status.client_id,
                                               exchange.may_load());
  if (owner.state == cache::Lookup<domain::ClientView>::State::miss) {
    return Outcome::continue_at(Stage::worker, std::move(*this));
  }
  if (!owner.found() || owner.value->client.status != domain::Status::active) return inactive();
  return Outcome::answer(answer(describe(services, exchange, *found->value, *owner.value)));
}

}  // namespace

Outcome introspection_endpoint(PublicServices& services, Exchange& exchange) {
  const auto params = http::parse_oauth_params(exchange.request, token_presentation_fields(), {});
  IntrospectionFlow flow;
  flow.token = params.get("token");
  if (is_bearer(exchange.request.header("authorization"))) {
    exchange.challenge = Challenge::bearer;
  } else {
    flow.check = start_client_check(params, exchange);
  }
  return flow(services, exchange);
}

}  // namespace tessera::endpoints
