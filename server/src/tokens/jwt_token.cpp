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

bool verifies(const domain::PublishedKey& key, const crypto::JwsParts& parts) {
  if (key.alg == domain::SigningAlg::eddsa) return crypto::jws_verify_eddsa(parts, key.public_key);
  return key.public_pkey && key.public_pkey->verify(parts.signing_input, parts.signature);
}

}  // namespace

std::string mint_jwt(const domain::TenantView& tenant, const JwtClaims& claims,
                     domain::SigningAlg alg) {
  const auto* key = tenant.active_key(alg);
  if (key == nullptr) throw std::runtime_error("the tenant has no active signing key");
  if (alg == domain::SigningAlg::eddsa ? !key->private_key : !key->private_pkey) {
    throw std::runtime_error("the tenant's active signing key does not open");
  }
  const nlohmann::json header = {
      {"alg", domain::to_string(alg)}, {"typ", "at+jwt"}, {"kid", key->kid}};
  // Custom claims first (domain::merged_claims left out the reserved names),
  // then the registered ones, which are the server's.
  nlohmann::json payload = claims.custom.is_object() ? claims.custom : nlohmann::json::object();
  payload.update(nlohmann::json{{"iss", claims.iss},
                                {"sub", claims.client_id},
                                {"client_id", claims.client_id},
                                {"aud", claims.aud},
                                {"iat", claims.iat},
                                {"exp", claims.exp},
                                {"jti", claims.jti},
                                {"scope", claims.scope}});
  if (!claims.cnf_jkt.empty()) payload["cnf"] = {{"jkt", claims.cnf_jkt}};
  auto input = crypto::jws_signing_input(header.dump(), payload.dump());
  std::string signature;
  if (alg == domain::SigningAlg::eddsa) {
    // Read in place: the secret key is never copied out of guarded memory.
    const std::string_view secret(reinterpret_cast<const char*>(key->private_key->data()),
                                  key->private_key->size());
    signature = crypto::ed25519_signature(input, secret);
  } else {
    signature = key->private_pkey->sign(input);
  }
  return crypto::jws_compact(std::move(input), signature);
}

bool signs_off_reactor(domain::SigningAlg alg) {
  return alg == domain::SigningAlg::rs256;
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
  if (!header.contains("alg") || !header["alg"].is_string() || !header.contains("typ") ||
      header["typ"] != "at+jwt" || !header.contains("kid") || !header["kid"].is_string()) {
    return std::nullopt;
  }
  const auto* key = tenant.key_by_kid(header["kid"].get<std::string>());
  if (key == nullptr || header["alg"] != domain::to_string(key->alg) || !verifies(*key, *parts)) {
    return std::nullopt;
  }
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
    if (payload.contains("cnf")) claims.cnf_jkt = payload.at("cnf").at("jkt").get<std::string>();
    return claims;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace tessera::tokens
