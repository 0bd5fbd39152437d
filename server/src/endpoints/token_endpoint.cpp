#include "endpoints/token_endpoint.hpp"

#include "crypto/uuid7.hpp"
#include "domain/oauth_error.hpp"
#include "domain/scope.hpp"
#include "grants/client_credentials.hpp"
#include "grants/token_request.hpp"
#include "http/oauth_error_writer.hpp"
#include "log/log.hpp"
#include "store/errors.hpp"
#include "tokens/opaque_token.hpp"

namespace tessera::endpoints {
namespace {

using domain::OAuthError;
using domain::OAuthErrorCode;

// Thrown to move the request to a worker: a cache miss or an Argon2id check.
struct NeedsWorker {};

// Failed authentication while the source or client id is limited (SPEC §6).
struct RateLimited {
  int retry_after_seconds;
};

struct Authenticated {
  domain::SecretId secret_id;
  std::shared_ptr<const domain::ClientView> client;
};

http::Response token_error(const OAuthError& error, const grants::TokenRequest* request,
                           const std::string& tenant) {
  auto response = http::write_oauth_error(error);
  // RFC 6749 §5.2: a 401 after Basic authentication names the scheme.
  if (error.status() == 401 && request != nullptr &&
      request->auth_method == grants::AuthMethod::client_secret_basic) {
    response.with_header("WWW-Authenticate", "Basic realm=\"tessera\"");
  }
  response.log_tenant = tenant;
  if (request != nullptr) response.log_client_id = request->client_id;
  return response;
}

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

// Check 3 of SPEC §3.1: who is asking.
Authenticated authenticate(TokenServices& services, const domain::TenantView& tenant,
                              const grants::TokenRequest& request, const std::string& source,
                              domain::Timestamp now, bool on_worker) {
  if (request.auth_method == grants::AuthMethod::none) {
    throw OAuthError(OAuthErrorCode::invalid_client, "client authentication is required", 401);
  }
  auto client = services.directory.client(tenant.tenant.id, request.client_id, on_worker);
  if (client.state == cache::Lookup<domain::ClientView>::State::miss) throw NeedsWorker{};

  const std::string source_key = "ip:" + source;
  const std::string client_key = "client:" + std::to_string(tenant.tenant.id.value) + "/" + request.client_id;
  auto limited = services.failures.retry_after(source_key, now);
  if (!limited) limited = services.failures.retry_after(client_key, now);

  // Disabled tenants and clients answer exactly like a wrong secret, after
  // the same keyed hash.
  const bool usable = client.found() && tenant.tenant.status == domain::Status::active &&
                      client.value->client.status == domain::Status::active;
  auto result = services.authenticator.check_fast(usable ? client.value.get() : nullptr,
                                                  request.client_secret, now);
  using Outcome = grants::ClientAuthenticator::Result::Outcome;
  if (result.outcome == Outcome::needs_slow_check && !limited) {
    if (!on_worker) throw NeedsWorker{};
    result = services.authenticator.check_slow(*client.value, request.client_secret, now);
  }
  if (result.outcome == Outcome::ok) return {result.secret_id, client.value};

  services.failures.record_failure(source_key, now);
  services.failures.record_failure(client_key, now);
  if (limited) throw RateLimited{*limited};
  throw OAuthError(OAuthErrorCode::invalid_client, "client authentication failed", 401);
}

}  // namespace

void handle_token(TokenServices& services, std::shared_ptr<const domain::TenantView> tenant,
                  http::Request request, http::Reply reply, bool on_worker) {
  const std::string& slug = tenant->tenant.slug;
  std::optional<grants::TokenRequest> token_request;
  try {
    const auto params = http::parse_oauth_params(request, grants::token_request_fields(), {"resource"});
    token_request = grants::read_token_request(
        params, http::parse_authorization(request.header("authorization")));
    const auto now = std::chrono::system_clock::now();
    const auto authenticated =
        authenticate(services, *tenant, *token_request, request.remote_address, now, on_worker);
    const auto secret_id = authenticated.secret_id;
    const auto plan =
        grants::decide_client_credentials(*token_request, *tenant, *authenticated.client);
    if (plan.format == domain::TokenFormat::jwt) {
      throw OAuthError(OAuthErrorCode::server_error,
                       "JWT access tokens are not available on this server yet", 500);
    }

    store::TokenRecord record;
    record.tenant_id = tenant->tenant.id;
    record.id = crypto::uuid7(now);
    record.client_id = token_request->client_id;
    record.secret_id = secret_id;
    record.api_id = plan.api->id;
    record.scope = domain::join_scopes(plan.scopes);
    record.format = plan.format;
    record.issued_at = now;
    record.expires_at = now + std::chrono::seconds(plan.ttl_seconds);
    auto token = tokens::mint_opaque_token(services.token_key, record.id);
    record.token_hash = token.hash;

    auto response = token_success(token.value, plan.ttl_seconds, record.scope);
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
            reply(token_error(OAuthError(OAuthErrorCode::temporarily_unavailable,
                                         "the token could not be recorded; retry", 503),
                              nullptr, slug));
            return;
          }
          usage.mark_used(tenant_id, client_id, secret_id, now);
          reply(std::move(response));
        });
  } catch (const NeedsWorker&) {
    if (on_worker) {
      reply(token_error(OAuthError(OAuthErrorCode::server_error, "internal error", 500),
                        nullptr, slug));
      return;
    }
    services.workers.post([&services, tenant = std::move(tenant), request = std::move(request),
                           reply]() mutable {
      handle_token(services, std::move(tenant), std::move(request), reply, true);
    });
  } catch (const RateLimited& limited) {
    auto response = token_error(
        OAuthError(OAuthErrorCode::too_many_requests, "too many failed attempts", 429),
        &*token_request, slug);
    reply(response.with_header("Retry-After", std::to_string(limited.retry_after_seconds)));
  } catch (const OAuthError& e) {
    reply(token_error(e, token_request ? &*token_request : nullptr, slug));
  } catch (const store::Unavailable& e) {
    log::warn("database unavailable", {{"error", e.what()}});
    reply(token_error(OAuthError(OAuthErrorCode::temporarily_unavailable,
                                 "the database is unavailable; retry", 503),
                      nullptr, slug));
  }
}

}  // namespace tessera::endpoints
