#include "endpoints/token_endpoint.hpp"

#include "endpoints/client_auth.hpp"

#include "crypto/uuid7.hpp"
#include "domain/oauth_error.hpp"
#include "domain/scope.hpp"
#include "grants/client_credentials.hpp"
#include "grants/token_request.hpp"
#include "http/oauth_error_writer.hpp"
#include "log/log.hpp"
#include "store/errors.hpp"
#include "tokens/jwt_token.hpp"
#include "tokens/opaque_token.hpp"

namespace tessera::endpoints {
namespace {

using domain::OAuthError;
using domain::OAuthErrorCode;

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

}  // namespace

void handle_token(PublicServices& services, std::shared_ptr<const domain::TenantView> tenant,
                  http::Request request, http::Reply reply, Stage stage) {
  const std::string& slug = tenant->tenant.slug;
  std::optional<grants::TokenRequest> token_request;
  try {
    const auto params = http::parse_oauth_params(request, grants::token_request_fields(), {"resource"});
    token_request = grants::read_token_request(
        params, http::parse_authorization(request.header("authorization")));
    const auto now = std::chrono::system_clock::now();
    const auto authenticated =
        authenticate_client(services, *tenant, *token_request, request.remote_address, now, stage);
    const auto secret_id = authenticated.secret_id;
    const auto plan =
        grants::decide_client_credentials(*token_request, *tenant, *authenticated.client);

    store::TokenRecord record;
    record.tenant_id = tenant->tenant.id;
    record.id = crypto::uuid7(now);
    record.client_id = authenticated.client->client.client_id.value;  // as stored
    record.secret_id = secret_id;
    record.api_id = plan.api->id;
    record.scope = domain::join_scopes(plan.scopes);
    record.format = plan.format;
    record.issued_at = now;
    record.expires_at = now + std::chrono::seconds(plan.ttl_seconds);
    std::string token;
    if (plan.format == domain::TokenFormat::jwt) {
      // RFC 9068: the token is self-contained; the record keeps its jti only.
      tokens::JwtClaims claims;
      claims.iss = services.issuer(slug);
      claims.client_id = record.client_id;
      claims.aud = plan.api->identifier;
      claims.iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
      claims.exp = claims.iat + plan.ttl_seconds;
      claims.jti = crypto::uuid_text(record.id);
      claims.scope = record.scope;
      record.issued_at = domain::Timestamp(std::chrono::seconds(claims.iat));
      record.expires_at = domain::Timestamp(std::chrono::seconds(claims.exp));
      token = tokens::mint_jwt(*tenant, claims);
    } else {
      auto opaque = tokens::mint_opaque_token(services.token_key, record.id);
      record.token_hash = std::move(opaque.hash);
      token = std::move(opaque.value);
    }

    auto response = token_success(token, plan.ttl_seconds, record.scope);
    response.log_tenant = slug;
    response.log_client_id = record.client_id;
    auto& usage = services.usage;
    const auto tenant_id = record.tenant_id;
    const auto client_id = record.client_id;
    services.recorder.record(
        std::move(record),
        [reply, response = std::move(response), &usage, tenant_id, client_id, secret_id, now,
         slug](bool committed) mutable {
          if (!committed) {
            reply(oauth_error_response(OAuthError(OAuthErrorCode::temporarily_unavailable,
                                         "the token could not be recorded; retry", 503),
                              nullptr, slug));
            return;
          }
          usage.mark_used(tenant_id, client_id, secret_id, now);
          reply(std::move(response));
        });
  } catch (const NeedsWorker& needs) {
    // Nothing with an effect ran before the throw: the handler starts over
    // where it may do what it needs.
    continue_at(services, stage, needs, reply, slug,
                [&services, tenant = std::move(tenant), request = std::move(request),
                 reply](Stage to) mutable {
                  handle_token(services, std::move(tenant), std::move(request), reply, to);
                });
  } catch (const RateLimited& limited) {
    reply(rate_limited_response(limited, &*token_request, slug));
  } catch (const OAuthError& e) {
    reply(oauth_error_response(e, token_request ? &*token_request : nullptr, slug));
  } catch (const store::Unavailable& e) {
    reply(database_unavailable_response(e, slug));
  } catch (const std::exception& e) {
    log::error("token request failed", {{"error", e.what()}, {"request_id", request.request_id}});
    reply(oauth_error_response(OAuthError(OAuthErrorCode::server_error, "internal error", 500),
                               nullptr, slug));
  }
}

}  // namespace tessera::endpoints
