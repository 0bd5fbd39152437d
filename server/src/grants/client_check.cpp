#include "grants/client_check.hpp"

#include "domain/ip_address.hpp"
#include "domain/oauth_error.hpp"
#include "domain/validation.hpp"

namespace tessera::grants {

using domain::OAuthError;
using domain::OAuthErrorCode;

ClientCheck::ClientCheck(const TokenRequest& credentials, const std::string& source,
                         domain::Timestamp now)
    : presented_(credentials.auth_method != AuthMethod::none),
      client_id_(credentials.client_id),
      secret_(credentials.client_secret),
      assertion_(credentials.auth_method == AuthMethod::private_key_jwt
                     ? credentials.client_assertion
                     : std::string()),
      // IPv6 sources count per /64 (domain::source_key).
      source_key_("ip:" + domain::source_key(source)),
      now_(now) {}

ClientCheck::Progress ClientCheck::advance(const ClientChecking& with,
                                           const domain::TenantView& tenant, bool may_load,
                                           bool may_hash) {
  using Outcome = ClientAuthenticator::Result::Outcome;
  if (step_ == Step::find_client) {
    if (!presented_) {
      throw OAuthError(OAuthErrorCode::invalid_client, "client authentication is required");
    }
    // An id Tessera could never have issued names no client: it is answered
    // like an unknown one (the same keyed hash is computed below) without a
    // lookup (SPEC §6).
    if (domain::is_possible_client_id(client_id_)) {
      auto client = with.directory.client(tenant.tenant.id, client_id_, may_load);
      if (client.state == cache::Lookup<domain::ClientView>::State::miss) {
        return Progress::needs_database;
      }
      found_ = client.value;
    }
    find_limits(with, tenant);
    step_ = Step::check_secret;
  }
  // Disabled clients and tenants fail like unknown ones, after the same work.
  const bool usable = found_ && tenant.tenant.status == domain::Status::active &&
                      found_->client.status == domain::Status::active;
  if (step_ == Step::check_secret && !assertion_.empty()) step_ = Step::check_assertion;
  while (step_ == Step::check_assertion || step_ == Step::fetch_keys) {
    if (step_ == Step::fetch_keys) {
      if (!may_load) return Progress::needs_database;
      remote_keys_ = with.remote_jwks.fetch(*found_->client.jwks_uri, now_);
      fetched_ = true;
    }
    step_ = check_assertion(with, tenant, usable);
    if (step_ == Step::done) return Progress::authenticated;
  }
  if (step_ == Step::claim_assertion) {
    if (!may_load) return Progress::needs_database;
    const auto& assertion = *authenticated_.assertion;
    if (!with.jtis->claim(tenant.tenant.id, client_id_, assertion.jti, assertion.expires_at)) {
      authenticated_ = {};
      fail(with);
    }
    step_ = Step::done;
    return Progress::authenticated;
  }
  if (step_ == Step::check_secret) {
    const auto result = with.secrets.check_fast(usable ? found_.get() : nullptr, secret_, now_);
    if (result.outcome == Outcome::ok) {
      step_ = Step::done;
      authenticated_ = {result.secret_id, found_, result.rehash, std::nullopt};
      return Progress::authenticated;
    }
    // Imported (Argon2id) secrets are not checked while limited (SPEC §6).
    if (result.outcome != Outcome::needs_slow_check || own_limit_) fail(with);
    step_ = Step::check_imported;
  }
  if (step_ == Step::check_imported) {
    if (!may_hash) return Progress::needs_argon2;
    // While this request waited for the pool, another may have verified the
    // same secret: remembered, it costs a keyed hash, not Argon2id (a burst
    // of one client's requests runs Argon2id about once).
    auto result = with.secrets.check_fast(found_.get(), secret_, now_);
    if (result.outcome != Outcome::ok) result = with.secrets.check_slow(*found_, secret_, now_);
    if (result.outcome != Outcome::ok) fail(with);
    step_ = Step::done;
    authenticated_ = {result.secret_id, found_, result.rehash, std::nullopt};
  }
  return Progress::authenticated;
}

namespace {

// RFC 7523 §3: `aud` names the authorization server: its issuer, or its
// token endpoint's URL (any of the paths it answers on, SPEC §3.1).
std::vector<std::string> assertion_audiences(const std::string& issuer_base,
                                             const std::string& slug) {
  const std::string issuer = issuer_base + "/t/" + slug;
  std::vector<std::string> audiences{issuer};
  for (const char* path :
       {"/oauth/token", "/oauth/token/", "/token", "/oauth2/token", "/oauth2/token/"}) {
    audiences.push_back(issuer + path);
  }
  return audiences;
}

}  // namespace

ClientCheck::Step ClientCheck::check_assertion(const ClientChecking& with,
                                               const domain::TenantView& tenant, bool usable) {
  if (!usable) fail(with);
  // Registered keys, and those published at the client's jwks_uri: kept,
  // else fetched by a worker.
  const auto& uri = found_->client.jwks_uri;
  if (uri && !remote_keys_) {
    remote_keys_ = with.remote_jwks.cached(*uri, now_);
    // A source or client that is failing too often gets no fetch made for
    // it: it is answered with what is kept (SPEC §6).
    if (!remote_keys_ && own_limit_) fail(with);
    if (!remote_keys_) return Step::fetch_keys;
  }
  std::vector<crypto::PublicJwk> remote;
  const auto* keys = &found_->keys;
  if (remote_keys_ && !remote_keys_->empty()) {
    remote = found_->keys;
    remote.insert(remote.end(), remote_keys_->begin(), remote_keys_->end());
    keys = &remote;
  }
  const auto verified =
      verify_client_assertion(assertion_, client_id_, *keys,
                              assertion_audiences(with.issuer_base, tenant.tenant.slug), now_);
  const auto* assertion = std::get_if<VerifiedAssertion>(&verified);
  // The client may have rotated the keys it publishes: one fetch more, at
  // most every 30 s (RemoteJwks), before the assertion fails.
  if (assertion == nullptr && uri && !fetched_ && !own_limit_ &&
      with.remote_jwks.may_refetch(*uri, now_)) {
    remote_keys_.reset();
    return Step::fetch_keys;
  }
  if (assertion == nullptr ||
      !with.assertions.first_use(tenant.tenant.id, client_id_, assertion->jti,
                                 assertion->expires_at, now_)) {
    fail(with);
  }
  authenticated_ = {domain::SecretId{0}, found_, std::nullopt, *assertion};
  // Without a token record to carry it, the jti is stored first.
  return with.jtis != nullptr ? Step::claim_assertion : Step::done;
}

void ClientCheck::find_limits(const ClientChecking& with, const domain::TenantView& tenant) {
  // Failures of a client count under its id as stored (a found id is the
  // stored id byte for byte). Ids that name no client share one key per
  // tenant: made-up ids must not become limiter keys of their own, nor push
  // real ones out.
  const std::string tenant_key = std::to_string(tenant.tenant.id.value);
  const std::string unknown_key = "unknown-client:" + tenant_key;
  client_key_ = found_ ? "client:" + tenant_key + "/" + client_id_ : unknown_key;
  limited_ = with.failures.retry_after(source_key_, now_);
  if (!limited_) limited_ = with.failures.retry_after(client_key_, now_);
  // While made-up ids are limited in a tenant, every failure there is 429,
  // so that 401 versus 429 does not tell which ids exist. It does not stop
  // the imported secrets of real clients from being checked: strangers
  // cannot lock a client out.
  own_limit_ = limited_.has_value();
  if (!limited_ && found_) limited_ = with.failures.retry_after(unknown_key, now_);
}

void ClientCheck::fail(const ClientChecking& with) {
  step_ = Step::done;
  with.failures.record_failure(source_key_, now_);
  with.failures.record_failure(client_key_, now_);
  if (limited_) throw OAuthError::rate_limited(*limited_);
  throw OAuthError(OAuthErrorCode::invalid_client, "client authentication failed");
}

}  // namespace tessera::grants
