#include "crypto/public_jwk.hpp"

#include <sodium.h>

#include <array>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"

namespace tessera::crypto {
namespace {

using Result = std::variant<PublicJwk, std::string>;

// Members only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4).
constexpr std::array kPrivateMembers = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"};
constexpr std::size_t kMaxKid = 256;

std::optional<std::string> decoded_member(const nlohmann::json& jwk, const char* name) {
  const auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) return std::nullopt;
  return base64url_decode(it->get<std::string>());
}

std::optional<std::string> string_member(const nlohmann::json& jwk, const char* name) {
  const auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

std::string jwk_thumbprint(const nlohmann::json& members) {
  // RFC 7638 §3: the required members only, in lexicographic order, no
  // whitespace (nlohmann::json sorts object members and dump() adds none).
  nlohmann::json required;
  const auto kty = members.at("kty").get<std::string>();
  const std::vector<const char*> names = kty == "RSA" ? std::vector<const char*>{"e", "kty", "n"}
                                         : kty == "EC"
                                             ? std::vector<const char*>{"crv", "kty", "x", "y"}
                                             : std::vector<const char*>{"crv", "kty", "x"};
  for (const char* name : names) required[name] = members.at(name);
  const auto text = required.dump();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

Result read_public_jwk(const nlohmann::json& jwk) {
  if (!jwk.is_object()) return std::string("a JWK must be a JSON object");
  for (const char* name : kPrivateMembers) {
    if (jwk.contains(name)) {
      return std::string(name) == std::string("k")
                 ? std::string("symmetric keys are not accepted: register a public key")
                 : std::string("the JWK holds a private key: register only its public half");
    }
  }
  const auto kty = string_member(jwk, "kty");
  if (!kty) return std::string("kty is required");
  PublicJwk key;
  if (*kty == "OKP") {
    if (string_member(jwk, "crv") != "Ed25519") return std::string("an OKP key must be Ed25519");
    const auto x = decoded_member(jwk, "x");
    if (!x || x->size() != crypto_sign_PUBLICKEYBYTES) {
      return std::string("x must be the 32-byte Ed25519 public key, base64url");
    }
    key.alg = domain::SigningAlg::eddsa;
    key.ed25519 = *x;
    key.members = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", base64url_encode(*x)}};
  } else if (*kty == "EC") {
    if (string_member(jwk, "crv") != "P-256") return std::string("an EC key must be on P-256");
    const auto x = decoded_member(jwk, "x");
    const auto y = decoded_member(jwk, "y");
    if (!x || !y) return std::string("x and y are required, base64url");
    key.alg = domain::SigningAlg::es256;
    key.pkey = PublicPkey::from_jwk_members(key.alg, *x, *y);
    if (!key.pkey) return std::string("x and y are not a point of P-256");
    key.members = key.pkey->jwk_members();
  } else if (*kty == "RSA") {
    const auto n = decoded_member(jwk, "n");
    const auto e = decoded_member(jwk, "e");
    if (!n || !e) return std::string("n and e are required, base64url");
    key.alg = domain::SigningAlg::rs256;
    key.pkey = PublicPkey::from_jwk_members(key.alg, *n, *e);
    if (!key.pkey) return std::string("n and e are not an RSA key of at least 2048 bits");
    key.members = key.pkey->jwk_members();
  } else {
    return std::string("kty must be OKP (Ed25519), EC (P-256) or RSA");
  }
  if (jwk.contains("alg")) {
    const auto alg = string_member(jwk, "alg");
    if (alg != std::string(domain::to_string(key.alg))) {
      return std::string("alg must be ") + domain::to_string(key.alg) + " for this key";
    }
  }
  if (jwk.contains("use") && string_member(jwk, "use") != "sig") {
    return std::string("use must be \"sig\"");
  }
  if (jwk.contains("kid")) {
    const auto kid = string_member(jwk, "kid");
    if (!kid || kid->empty() || kid->size() > kMaxKid) {
      return std::string("kid must be a string of 1-256 characters");
    }
    for (const char c : *kid) {
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
        return std::string("kid must be printable ASCII");
      }
    }
    key.kid = *kid;
  }
  key.thumbprint = jwk_thumbprint(key.members);
  key.members["alg"] = domain::to_string(key.alg);
  key.members["use"] = "sig";
  if (!key.kid.empty()) key.members["kid"] = key.kid;
  return key;
}

bool PublicJwk::verify(std::string_view signing_input, std::string_view signature) const {
  if (alg == domain::SigningAlg::eddsa) {
    JwsParts parts;
    parts.signing_input = std::string(signing_input);
    parts.signature = std::string(signature);
    return jws_verify_eddsa(parts, ed25519);
  }
  return pkey && pkey->verify(signing_input, signature);
}

}  // namespace tessera::crypto
