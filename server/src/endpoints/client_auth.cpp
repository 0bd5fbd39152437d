#include "endpoints/client_auth.hpp"

#include "domain/ip_address.hpp"
#include "domain/validation.hpp"
#include "http/oauth_error_writer.hpp"
#include "log/log.hpp"

namespace tessera::endpoints {

using domain::OAuthError;
using domain::OAuthErrorCode;

http::Response oauth_error_response(const OAuthError& error, const grants::TokenRequest* credentials,
                                    const std::string& tenant) {
  auto response = http::write_oauth_error(error);
  if (error.status() == 401 && credentials != nullptr &&
      credentials->auth_method == grants::AuthMethod::client_secret_basic) {
    response.with_header("WWW-Authenticate", "Basic realm=\"tessera\"");
  }
  response.log_tenant = tenant;
  // Only an id that could name a client is logged: anything else is noise
  // a peer chose (up to 64 KiB of it).
  if (credentials != nullptr && domain::is_possible_client_id(credentials->client_id)) {
    response.log_client_id = credentials->client_id;
  }
  return response;
}

http::Response database_unavailable_response(const std::exception& cause, const std::string& tenant) {
  log::warn("database unavailable", {{"error", cause.what()}});
  return oauth_error_response(OAuthError(OAuthErrorCode::temporarily_unavailable,
                                         "the database is unavailable; retry", 503),
                              nullptr, tenant);
}

http::Response rate_limited_response(const RateLimited& limited,
                                     const grants::TokenRequest* credentials,
                                     const std::string& tenant) {
  auto response = oauth_error_response(
      OAuthError(OAuthErrorCode::too_many_requests, "too many failed attempts", 429), credentials,
      tenant);
  return response.with_header("Retry-After", std::to_string(limited.retry_after_seconds));
}

void run_at(PublicServices& services, Stage to, const http::Reply& reply, const std::string& tenant,
            std::function<void()> again) {
  auto& pool = to == Stage::argon2 ? services.argon2 : services.workers;
  pool.post(std::move(again), [reply, tenant] {
    reply(oauth_error_response(
        OAuthError(OAuthErrorCode::temporarily_unavailable, "the server is busy; retry", 503),
        nullptr, tenant));
  });
}

void continue_at(PublicServices& services, Stage from, const NeedsWorker& needs,
                 const http::Reply& reply, const std::string& tenant,
                 std::function<void(Stage)> again) {
  if (needs.to == from) {
    log::error("a request asked again for the stage it runs on", {{"tenant", tenant}});
    reply(oauth_error_response(OAuthError(OAuthErrorCode::server_error, "internal error", 500),
                               nullptr, tenant));
    return;
  }
  const Stage to = needs.to;
  run_at(services, to, reply, tenant, [again = std::move(again), to] { again(to); });
}

AuthenticatedClient authenticate_client(PublicServices& services, const domain::TenantView& tenant,
                                        const grants::TokenRequest& credentials,
                                        const std::string& source, domain::Timestamp now,
                                        Stage stage) {
  if (credentials.auth_method == grants::AuthMethod::none) {
    throw OAuthError(OAuthErrorCode::invalid_client, "client authentication is required", 401);
  }
  // IPv6 sources count per /64 (domain::source_key).
  const std::string source_key = "ip:" + domain::source_key(source);
  // An id Tessera could never have issued names no client: it is answered
  // like an unknown one (the same keyed hash is computed below) without a
  // lookup (SPEC §6).
  const bool possible = domain::is_possible_client_id(credentials.client_id);
  cache::Lookup<domain::ClientView> client{cache::Lookup<domain::ClientView>::State::absent, nullptr};
  if (possible) {
    client = services.directory.client(tenant.tenant.id, credentials.client_id,
                                       stage != Stage::reactor);
    if (client.state == cache::Lookup<domain::ClientView>::State::miss) {
      throw NeedsWorker{Stage::worker};
    }
  }
  // Failures of a client count under its id as stored (a found id is the
  // stored id byte for byte). Ids that name no client share one key per
  // tenant: made-up ids must not become limiter keys of their own, nor push
  // real ones out.
  const std::string tenant_key = std::to_string(tenant.tenant.id.value);
  const std::string unknown_key = "unknown-client:" + tenant_key;
  const std::string client_key =
      client.found() ? "client:" + tenant_key + "/" + credentials.client_id : unknown_key;
  auto limited = services.failures.retry_after(source_key, now);
  if (!limited) limited = services.failures.retry_after(client_key, now);
  // While made-up ids are limited in a tenant, every failure there is 429,
  // so that 401 versus 429 does not tell which ids exist. It does not stop
  // the imported secrets of real clients from being checked: strangers
  // cannot lock a client out.
  const bool own_limit = limited.has_value();
  if (!limited && client.found()) limited = services.failures.retry_after(unknown_key, now);

  const bool usable = client.found() && tenant.tenant.status == domain::Status::active &&
                      client.value->client.status == domain::Status::active;
  auto result = services.authenticator.check_fast(usable ? client.value.get() : nullptr,
                                                  credentials.client_secret, now);
  using Outcome = grants::ClientAuthenticator::Result::Outcome;
  // Imported (Argon2id) secrets are not checked while limited (SPEC §6).
  if (result.outcome == Outcome::needs_slow_check && !own_limit) {
    if (stage != Stage::argon2) throw NeedsWorker{Stage::argon2};
    result = services.authenticator.check_slow(*client.value, credentials.client_secret, now);
  }
  if (result.outcome == Outcome::ok) return {result.secret_id, client.value};

  services.failures.record_failure(source_key, now);
  services.failures.record_failure(client_key, now);
  if (limited) throw RateLimited{*limited};
  throw OAuthError(OAuthErrorCode::invalid_client, "client authentication failed", 401);
}

}  // namespace tessera::endpoints
