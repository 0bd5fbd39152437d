#include "admin/resources_json.hpp"

#include "domain/time.hpp"

namespace tessera::admin {
namespace {

template <typename T>
nlohmann::json or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

nlohmann::json format_or_null(const std::optional<domain::TokenFormat>& format) {
  return format ? nlohmann::json(domain::to_string(*format)) : nlohmann::json();
}

nlohmann::json alg_or_null(const std::optional<domain::SigningAlg>& alg) {
  return alg ? nlohmann::json(domain::to_string(*alg)) : nlohmann::json();
}

}  // namespace

nlohmann::json to_json(const domain::Tenant& t) {
  return {{"id", t.id.value},
          {"slug", t.slug},
          {"name", t.name},
          {"default_token_ttl", or_null(t.default_token_ttl)},
          {"token_format", format_or_null(t.token_format)},
          {"signing_alg", alg_or_null(t.signing_alg)},
          {"domains", t.domains},
          {"status", domain::to_string(t.status)},
          {"created_at", domain::to_rfc3339(t.created_at)},
          {"updated_at", domain::to_rfc3339(t.updated_at)}};
}

nlohmann::json to_json(const domain::Api& a) {
  nlohmann::json scopes = nlohmann::json::array();
  for (const auto& s : a.scopes)
    scopes.push_back({{"value", s.value}, {"description", s.description}});
  return {{"id", a.id.value},
          {"identifier", a.identifier},
          {"name", a.name},
          {"scopes", scopes},
          {"token_ttl", or_null(a.token_ttl)},
          {"token_format", format_or_null(a.token_format)},
          {"signing_alg", alg_or_null(a.signing_alg)},
          {"is_default", a.is_default},
          {"created_at", domain::to_rfc3339(a.created_at)},
          {"updated_at", domain::to_rfc3339(a.updated_at)}};
}

nlohmann::json to_json(const domain::Client& c) {
  return {{"id", c.client_id.value},
          {"client_id", c.client_id.value},
          {"name", c.name},
          {"token_ttl", or_null(c.token_ttl)},
          {"can_introspect", c.can_introspect},
          {"status", domain::to_string(c.status)},
          {"token_endpoint_auth_method", domain::to_string(c.auth_method)},
          {"jwks_uri", or_null(c.jwks_uri)},
          {"dpop", domain::to_string(c.dpop)},
          {"dpop_nonce", c.dpop_nonce},
          {"claims", c.claims},
          {"created_at", domain::to_rfc3339(c.created_at)},
          {"updated_at", domain::to_rfc3339(c.updated_at)}};
}

nlohmann::json to_json(const store::ClientKeyInfo& k) {
  return {{"id", k.id},
          {"kid", or_null(k.kid)},
          {"alg", domain::to_string(k.alg)},
          {"thumbprint", k.thumbprint},
          {"jwk", nlohmann::json::parse(k.jwk_json)},
          {"created_at", domain::to_rfc3339(k.created_at)}};
}

nlohmann::json to_json(const domain::Grant& g) {
  return {{"client_id", g.client_id.value},
          {"api", g.api_id.value},
          {"scopes", g.scopes},
          {"claims", g.claims},
          {"created_at", domain::to_rfc3339(g.created_at)},
          {"updated_at", domain::to_rfc3339(g.updated_at)}};
}

}  // namespace tessera::admin
