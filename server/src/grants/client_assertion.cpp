#include "grants/client_assertion.hpp"

#include <nlohmann/json.hpp>

#include "crypto/jws.hpp"
#include "grants/jwt_fields.hpp"

namespace tessera::grants {
namespace {

using Result = std::variant<VerifiedAssertion, std::string>;
// An assertion is small; a bigger one is refused before any base64 or
// JSON work on it.
constexpr std::size_t kMaxAssertion = 16 * 1024;

bool names_an_audience(const nlohmann::json& aud, const std::vector<std::string>& audiences) {
  auto allowed = [&](const nlohmann::json& value) {
    if (!value.is_string()) return false;
    for (const auto& audience : audiences) {
      if (value.get<std::string>() == audience) return true;
    }
    return false;
  };
  if (aud.is_string()) return allowed(aud);
  if (!aud.is_array()) return false;
  for (const auto& value : aud) {
    if (allowed(value)) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> assertion_client_id(std::string_view assertion) {
  if (assertion.size() > kMaxAssertion) return std::nullopt;
  const auto parts = crypto::jws_split(assertion);
  if (!parts) return std::nullopt;
  const auto claims = json_object(parts->payload_json);
  if (!claims) return std::nullopt;
  const auto iss = claims->find("iss");
  if (iss == claims->end() || !iss->is_string()) return std::nullopt;
  return iss->get<std::string>();
}

Result verify_client_assertion(std::string_view assertion, const std::string& client_id,
                               const std::vector<crypto::PublicJwk>& keys,
                               const std::vector<std::string>& audiences, domain::Timestamp now) {
  if (assertion.size() > kMaxAssertion) return std::string("the assertion is too large");
  const auto parts = crypto::jws_split(assertion);
  if (!parts) return std::string("the assertion is not a compact JWS");
  const auto header = json_object(parts->header_json);
  const auto claims = json_object(parts->payload_json);
  if (!header || !claims)
    return std::string("the assertion's header or claims are not JSON objects");

  // The algorithm comes from the header but must be one a registered key
  // has: `none` and HMAC (whose "secret" would be the public key) never are.
  const auto alg_it = header->find("alg");
  if (alg_it == header->end() || !alg_it->is_string()) return std::string("alg is missing");
  const auto alg = domain::parse_signing_alg(alg_it->get<std::string>());
  if (!alg) return std::string("alg is not EdDSA, ES256 or RS256");
  if (header->contains("crit")) return std::string("crit is not supported");
  const auto kid_it = header->find("kid");
  if (kid_it != header->end() && !kid_it->is_string()) return std::string("kid is not a string");
  const std::string kid = kid_it != header->end() ? kid_it->get<std::string>() : "";

  bool verified = false;
  for (const auto& key : keys) {
    if (key.alg != *alg || (!kid.empty() && !key.kid.empty() && key.kid != kid)) continue;
    if (key.verify(parts->signing_input, parts->signature)) {
      verified = true;
      break;
    }
  }
  if (!verified) return std::string("no key of the client verifies the assertion");

  const auto string_claim = [&](const char* name) { return string_member(*claims, name); };
  if (string_claim("iss") != client_id || string_claim("sub") != client_id) {
    return std::string("iss and sub must both be the client id");
  }
  const auto aud = claims->find("aud");
  if (aud == claims->end() || !names_an_audience(*aud, audiences)) {
    return std::string("aud is neither the token endpoint nor the issuer");
  }
  const auto exp = numeric_date(*claims, "exp");
  if (!exp) return std::string("exp is missing or not a time");
  if (*exp + kAssertionLeeway <= now) return std::string("the assertion has expired");
  if (*exp > now + kMaxAssertionLifetime + kAssertionLeeway) {
    return std::string("exp is more than five minutes ahead");
  }
  for (const char* name : {"nbf", "iat"}) {
    if (!claims->contains(name)) continue;
    const auto when = numeric_date(*claims, name);
    if (!when || *when > now + kAssertionLeeway) {
      return std::string(name) + " is not a time in the past";
    }
  }
  const auto jti = string_claim("jti");
  if (!jti || !is_storable_jti(*jti)) {
    return std::string("jti must be 1-256 characters of text");
  }
  return VerifiedAssertion{*jti, *exp + kAssertionLeeway};
}

}  // namespace tessera::grants
