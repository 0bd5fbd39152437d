// The fixture every tessera_hot_path case reads (bench/hot_path.cpp):
// a tenant, a client and a token request as the caches and the token
// endpoint see them, and the steps of a request that several cases share.
#pragma once

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "cache/directory.hpp"
#include "cache/freshness.hpp"
#include "config/config.hpp"
#include "crypto/base64url.hpp"
#include "crypto/keyed_hash.hpp"
#include "crypto/master_key.hpp"
#include "crypto/sealed.hpp"
#include "crypto/signing_keys.hpp"
#include "crypto/uuid7.hpp"
#include "domain/scope.hpp"
#include "endpoints/token_request_reader.hpp"
#include "grants/client_authentication.hpp"
#include "grants/client_credentials.hpp"
#include "grants/token_request.hpp"
#include "http/basic_auth.hpp"
#include "http/json_body.hpp"
#include "http/oauth_params.hpp"
#include "http/request_framer.hpp"
#include "log/log.hpp"
#include "store/postgres/token_batcher.hpp"
#include "store/postgres/token_rows.hpp"
#include "tokens/jwt_token.hpp"
#include "tokens/opaque_token.hpp"

namespace tessera::bench {

using benchmark::DoNotOptimize;
// Standard base64 with padding, as HTTP Basic uses it.
inline std::string base64(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

inline crypto::MasterKey master_key() {
  return crypto::MasterKey::parse(crypto::base64url_encode(std::string(32, 'm'))).value();
}

// What a token request reads from the caches: a tenant with one default API
// and an active signing key, and a client with one generated secret and a
// grant of two scopes.
struct Fixture {
  crypto::SubKey secret_key = master_key().derive(crypto::KeyPurpose::client_secret_hash);
  crypto::SubKey token_key = master_key().derive(crypto::KeyPurpose::token_hash);
  crypto::SubKey seal_key = master_key().derive(crypto::KeyPurpose::signing_key_seal);
  std::string client_id = crypto::base64url_encode(std::string(16, 'c')).substr(0, 22);
  std::string secret = crypto::base64url_encode(std::string(32, 's'));
  domain::TenantView tenant;
  domain::ClientView client;
  http::Request request;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();

  Fixture() {
    tenant.tenant.id = domain::TenantId{1};
    tenant.tenant.slug = "acme";
    domain::Api api;
    api.tenant_id = tenant.tenant.id;
    api.id = domain::ApiId{1};
    api.identifier = "https://api.acme.test";
    api.name = "Acme";
    api.is_default = true;
    api.scopes = {{"read", ""}, {"write", ""}};
    tenant.apis.push_back(api);
    const auto key = crypto::make_signing_key(crypto::SubKeyRing(seal_key), tenant.tenant.id,
                                              domain::SigningKeyState::active);
    domain::PublishedKey published;
    published.kid = key.kid;
    published.state = key.state;
    published.public_key = key.public_key;
    published.sealed_private_key = key.sealed_private_key;
    // Open, as the directory opens it when it loads a JWT tenant's view.
    published.private_key =
        crypto::open_signing_key(seal_key, tenant.tenant.id, key.kid, key.sealed_private_key);
    tenant.keys.push_back(published);

    client.client.tenant_id = tenant.tenant.id;
    client.client.client_id = domain::ClientId{client_id};
    domain::SecretView generated;
    generated.id = domain::SecretId{1};
    generated.keyed_hash = crypto::keyed_hash(secret_key, secret);
    client.secrets.push_back(generated);
    client.grants = {{1, {"read", "write"}}};

    request.method = "POST";
    request.path = "/t/acme/oauth/token";
    request.headers = {{"content-type", "application/x-www-form-urlencoded"},
                       {"authorization", "Basic " + base64(client_id + ":" + secret)}};
    request.body = "grant_type=client_credentials&scope=read%20write";
  }
};

// One fixture for every case, made on first use (after sodium_init).
inline const Fixture& fixture() {
  static const Fixture f;
  return f;
}

inline grants::TokenRequest parse(const http::Request& request) {
  const auto params =
      http::parse_oauth_params(request, endpoints::token_request_fields(), {"resource"});
  return endpoints::read_token_request(params,
                                       http::parse_authorization(request.header("authorization")));
}

inline const grants::TokenPlan& plan() {
  static const grants::TokenPlan p = grants::decide_client_credentials(
      parse(fixture().request), fixture().tenant, fixture().client);
  return p;
}

inline std::string token_body(const std::string& token, int expires_in, const std::string& scope) {
  std::string body;
  body.reserve(token.size() + scope.size() + 96);
  body += R"({"access_token":")";
  body += token;
  body += R"(","token_type":"Bearer","expires_in":)";
  body += std::to_string(expires_in);
  body += R"(,"scope":")";
  body += scope;
  body += "\"}";
  return body;
}

inline store::TokenRecord record_of(const grants::TokenPlan& p,
                                    std::chrono::system_clock::time_point now,
                                    domain::TokenFormat format, std::string hash) {
  const auto& f = fixture();
  store::TokenRecord record;
  record.tenant_id = f.tenant.tenant.id;
  record.id = crypto::uuid7(now);
  record.client_id = f.client_id;
  record.secret_id = domain::SecretId{1};
  record.api_id = p.api->id;
  record.scope = domain::join_scopes(p.scopes);
  record.format = format;
  record.token_hash = std::move(hash);
  record.issued_at = now;
  record.expires_at = now + std::chrono::seconds(p.ttl_seconds);
  return record;
}

// The claims the token endpoint signs for the fixture's request.
inline tokens::JwtClaims jwt_claims() {
  const auto& f = fixture();
  tokens::JwtClaims claims;
  claims.iss = "http://localhost:8080/t/acme";
  claims.client_id = f.client_id;
  claims.aud = plan().api->identifier;
  claims.iat = 1'800'000'000;
  claims.exp = claims.iat + 3600;
  claims.jti = crypto::uuid_text(crypto::uuid7(f.now));
  claims.scope = "read write";
  return claims;
}

inline std::string signed_jwt(const tokens::JwtClaims& claims) {
  const auto& f = fixture();
  return tokens::mint_jwt(f.tenant, claims);
}

}  // namespace tessera::bench
