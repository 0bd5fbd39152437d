#include "tokens/jwt_token.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "crypto/jws.hpp"

namespace tessera::tokens {
namespace {

// A time claim as mint_jwt writes it: whole seconds (RFC 7519 NumericDate)
// that fit in 64 bits. nlohmann-json's get<std::int64_t> would cast any
// number: undefined for a double out of range, a wrap for 2^64-1.
std::optional<std::int64_t> whole_seconds(const nlohmann::json& value) {
  if (!value.is_number_integer()) return std::nullopt;
  if (value.is_number_unsigned() &&
      value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    return std::nullopt;
  }
  return value.get<std::int64_t>();
}

}  // namespace

std::string mint_jwt(const domain::TenantView& tenant, const JwtClaims& claims) {
  const auto* key = tenant.active_key();
  if (key == nullptr) throw std::runtime_error("the tenant has no active signing key");
  if (!key->private_key) {
    throw std::runtime_error("the tenant's active signing key does not open");
  }
  const nlohmann::json header = {{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", key->kid}};
  const nlohmann::json payload = {
      {"iss", claims.iss}, {"sub", claims.client_id}, {"client_id", claims.client_id},
      {"aud", claims.aud}, {"iat", claims.iat},       {"exp", claims.exp},
      {"jti", claims.jti}, {"scope", claims.scope}};
  // Read in place: the secret key is never copied out of guarded memory.
  const std::string_view secret(reinterpret_cast<const char*>(key->private_key->data()),
                                key->private_key->size());
  return crypto::jws_sign_eddsa(header.dump(), payload.dump(), secret);
}

bool looks_like_jwt(std::string_view token) {
  const auto first = token.find('.');
  return first != std::string_view::npos && token.find('.', first + 1) != std::string_view::npos;
}

std::optional<JwtClaims> verify_jwt(const domain::TenantView& tenant, std::string_view token) {
  const auto parts = crypto::jws_split(token);
  if (!parts) return std::nullopt;
  const auto header = nlohmann::json::parse(parts->header_json, nullptr, false);
  const auto payload = nlohmann::json::parse(parts->payload_json, nullptr, false);
  if (!header.is_object() || !payload.is_object()) return std::nullopt;
  // Compared as JSON values: json::value("alg", "") throws on a non-string
  // member, and a presented token is anyone's input.
  if (!header.contains("alg") || header["alg"] != "EdDSA" || !header.contains("typ") ||
      header["typ"] != "at+jwt" || !header.contains("kid") || !header["kid"].is_string()) {
    return std::nullopt;
  }
  const auto* key = tenant.key_by_kid(header["kid"].get<std::string>());
  if (key == nullptr || !crypto::jws_verify_eddsa(*parts, key->public_key)) return std::nullopt;
  try {
    JwtClaims claims;
    claims.iss = payload.at("iss").get<std::string>();
    claims.client_id = payload.at("client_id").get<std::string>();
    claims.aud = payload.at("aud").get<std::string>();
    const auto iat = whole_seconds(payload.at("iat"));
    const auto exp = whole_seconds(payload.at("exp"));
    if (!iat || !exp) return std::nullopt;
    claims.iat = *iat;
    claims.exp = *exp;
    claims.jti = payload.at("jti").get<std::string>();
    claims.scope = payload.at("scope").get<std::string>();
    return claims;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace tessera::tokens
