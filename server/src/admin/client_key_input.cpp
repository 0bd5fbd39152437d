#include "admin/client_key_input.hpp"

#include <set>
#include <variant>

#include "admin/admin_error.hpp"
#include "crypto/public_jwk.hpp"
#include "domain/validation.hpp"

namespace tessera::admin {

store::NewClientKey read_client_key(const nlohmann::json& jwk, const std::string& field) {
  auto read = crypto::read_public_jwk(jwk);
  if (const auto* reason = std::get_if<std::string>(&read)) throw invalid_field(field, *reason);
  const auto& key = std::get<crypto::PublicJwk>(read);
  store::NewClientKey out;
  if (!key.kid.empty()) out.kid = key.kid;
  out.alg = key.alg;
  out.thumbprint = key.thumbprint;
  // Only the public members read_public_jwk kept: whatever else was sent
  // (x5c, key_ops, private notes) is never stored or shown again.
  out.jwk_json = key.members.dump();
  return out;
}

std::vector<store::NewClientKey> read_client_key_set(const nlohmann::json& jwks) {
  if (!jwks.is_object()) throw invalid_field("jwks", "must be a JWK Set: {\"keys\": [JWK, …]}");
  for (const auto& [member, value] : jwks.items()) {
    if (member != "keys") throw invalid_field("jwks." + member, "is not a known field");
  }
  const auto keys = jwks.find("keys");
  if (keys == jwks.end() || !keys->is_array()) {
    throw invalid_field("jwks.keys", "must be an array of JWKs");
  }
  if (keys->size() > domain::kMaxClientKeys) {
    throw invalid_field("jwks.keys",
                        "must hold at most " + std::to_string(domain::kMaxClientKeys) + " keys");
  }
  std::vector<store::NewClientKey> out;
  std::set<std::string> thumbprints;
  for (std::size_t i = 0; i < keys->size(); ++i) {
    const std::string field = "jwks.keys[" + std::to_string(i) + "]";
    auto key = read_client_key((*keys)[i], field);
    if (!thumbprints.insert(key.thumbprint).second) {
      throw invalid_field(field, "is the same key as an earlier one (same RFC 7638 thumbprint)");
    }
    out.push_back(std::move(key));
  }
  return out;
}

}  // namespace tessera::admin
