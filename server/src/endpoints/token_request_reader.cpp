#include "endpoints/token_request_reader.hpp"

#include <string_view>
#include <unordered_set>

#include "domain/oauth_error.hpp"
#include "grants/client_assertion.hpp"

namespace tessera::endpoints {

using grants::AuthMethod;
using grants::TokenRequest;

using domain::OAuthError;
using domain::OAuthErrorCode;

const std::vector<std::string>& token_request_fields() {
  static const std::vector<std::string> fields{
      "grant_type",      "scope",     "audience",      "aud",
      "resource",        "client_id", "client_secret", "client_assertion_type",
      "client_assertion"};
  return fields;
}

const std::vector<std::string>& token_presentation_fields() {
  static const std::vector<std::string> fields{
      "token",         "token_type_hint",       "client_id",
      "client_secret", "client_assertion_type", "client_assertion"};
  return fields;
}

void read_client_credentials(const http::OAuthParams& params,
                             const http::ParsedAuthorization& authorization, TokenRequest& out) {
  using Kind = http::ParsedAuthorization::Kind;
  if (authorization.kind == Kind::malformed) {
    throw OAuthError(OAuthErrorCode::invalid_request, "the Authorization header is malformed");
  }
  if (authorization.kind == Kind::other) {
    throw OAuthError(OAuthErrorCode::invalid_client,
                     "unsupported authentication scheme (use Basic or client_secret_post)");
  }
  const auto body_id = params.get("client_id");
  const auto body_secret = params.get("client_secret");
  const auto assertion_type = params.get("client_assertion_type");
  const auto assertion = params.get("client_assertion");
  if (assertion_type || assertion) {
    // RFC 7521 §4.2, RFC 7523 §2.2; one method at a time (RFC 6749 §2.3).
    if (!assertion_type || !assertion) {
      throw OAuthError(OAuthErrorCode::invalid_request,
                       "client_assertion and client_assertion_type go together");
    }
    if (*assertion_type != grants::kJwtBearerAssertionType) {
      throw OAuthError(
          OAuthErrorCode::invalid_request,
          "client_assertion_type must be " + std::string(grants::kJwtBearerAssertionType));
    }
    if (authorization.kind == Kind::basic || body_secret) {
      throw OAuthError(OAuthErrorCode::invalid_request,
                       "use one client authentication method: a client assertion, HTTP Basic or "
                       "client_secret, not several");
    }
    out.auth_method = AuthMethod::private_key_jwt;
    out.client_id = grants::assertion_client_id(*assertion).value_or("");
    // RFC 7521 §4.2: a client_id sent beside the assertion must name the
    // same client.
    if (body_id && !out.client_id.empty() && *body_id != out.client_id) {
      throw OAuthError(OAuthErrorCode::invalid_request,
                       "client_id differs from the client assertion's issuer");
    }
    out.client_assertion = *assertion;
    return;
  }
  if (authorization.kind == Kind::basic) {
    // RFC 6749 §2.3: a client must not use more than one method at once.
    if (body_secret) {
      throw OAuthError(OAuthErrorCode::invalid_request,
                       "use either HTTP Basic or client_secret in the body, not both");
    }
    if (body_id && *body_id != authorization.credentials.client_id) {
      throw OAuthError(OAuthErrorCode::invalid_request,
                       "client_id in the body differs from the Basic credentials");
    }
    out.auth_method = AuthMethod::client_secret_basic;
    out.client_id = authorization.credentials.client_id;
    out.client_secret = authorization.credentials.client_secret;
    return;
  }
  if (body_id) {
    out.auth_method = AuthMethod::client_secret_post;
    out.client_id = *body_id;
    out.client_secret = body_secret.value_or("");
  }
}

TokenRequest read_token_request(const http::OAuthParams& params,
                                const http::ParsedAuthorization& authorization) {
  TokenRequest request;
  const auto grant_type = params.get("grant_type");
  if (!grant_type) throw OAuthError(OAuthErrorCode::invalid_request, "grant_type is required");
  request.grant_type = *grant_type;
  request.scope = params.get("scope");

  // audience, aud and resource are synonyms (Auth0, Apinizer, RFC 8707).
  // A hash set keeps this linear: it runs before the client is
  // authenticated, on whatever a stranger sends (SPEC §6).
  std::unordered_set<std::string_view> seen;
  for (const auto& value : params.all("resource")) {
    if (seen.insert(value).second) request.distinct_resources.push_back(value);
  }
  std::vector<std::optional<std::string>> named{params.get("audience"), params.get("aud")};
  if (request.distinct_resources.size() == 1) named.push_back(request.distinct_resources.front());
  for (const auto& value : named) {
    if (!value) continue;
    if (request.audience && *request.audience != *value) {
      throw OAuthError(OAuthErrorCode::invalid_request,
                       "audience, aud and resource name different APIs");
    }
    request.audience = value;
  }
  // Last: another scheme than Basic is a failed authentication (401, check 3
  // of SPEC §3.1), which must not answer before the syntax errors above.
  read_client_credentials(params, authorization, request);
  return request;
}

}  // namespace tessera::endpoints
