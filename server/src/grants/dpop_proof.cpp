#include "grants/dpop_proof.hpp"

#include <cctype>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "crypto/public_jwk.hpp"
#include "domain/http_uri.hpp"
#include "grants/jwt_fields.hpp"

namespace tessera::grants {
namespace {

using Result = std::variant<VerifiedProof, std::string, KeyNotRead>;
// A proof carries one public key: an RSA one of 4096 bits is under 2 KiB.
constexpr std::size_t kMaxProof = 8 * 1024;

// Any client may put any key in a proof, and it is verified on a reactor
// thread: an RSA key of 16384 bits, or with a long exponent, would take
// milliseconds per request there. Keys people use have at most 4096 bits
// and e = 65537.
constexpr std::size_t kMaxRsaModulusBytes = 512;
constexpr std::size_t kMaxRsaExponentBytes = 4;

bool is_modest_rsa_key(const nlohmann::json& members) {
  const auto n = crypto::base64url_decode(members.value("n", ""));
  const auto e = crypto::base64url_decode(members.value("e", ""));
  return n && e && n->size() <= kMaxRsaModulusBytes && e->size() <= kMaxRsaExponentBytes;
}

// RFC 7515 §4.1.9: `typ` is a media type, compared case-insensitively.
bool is_dpop_type(const std::string& typ) {
  static constexpr std::string_view kType = "dpop+jwt";
  if (typ.size() != kType.size()) return false;
  for (std::size_t i = 0; i < typ.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(typ[i])) != kType[i]) return false;
  }
  return true;
}

}  // namespace

Result verify_dpop_proof(std::string_view proof, const DpopTarget& target, domain::Timestamp now,
                         DpopKeys* keys, bool may_read_keys) {
  if (proof.size() > kMaxProof) return std::string("the DPoP proof is too large");
  const auto parts = crypto::jws_split(proof);
  if (!parts) return std::string("the DPoP proof is not a compact JWS");
  const auto header = json_object(parts->header_json);
  const auto claims = json_object(parts->payload_json);
  if (!header || !claims) {
    return std::string("the DPoP proof's header or claims are not JSON objects");
  }

  const auto typ = string_member(*header, "typ");
  if (!typ || !is_dpop_type(*typ)) return std::string("the DPoP proof's typ must be dpop+jwt");
  // The algorithm must be the key's: `none` and HMAC (whose "secret" would
  // be the public key in the header) never are.
  const auto alg_name = string_member(*header, "alg");
  const auto alg = alg_name ? domain::parse_signing_alg(*alg_name) : std::nullopt;
  if (!alg) return std::string("the DPoP proof's alg must be EdDSA, ES256 or RS256");
  if (header->contains("crit")) return std::string("the DPoP proof's crit is not supported");
  const auto jwk_it = header->find("jwk");
  if (jwk_it == header->end()) return std::string("the DPoP proof has no jwk");
  std::shared_ptr<const crypto::PublicJwk> found;
  const auto jwk_text = jwk_it->dump();
  if (keys != nullptr) found = keys->find(jwk_text);
  if (!found) {
    // An Ed25519 key is read in microseconds; the others are read where a
    // slow read holds up no other request.
    if (!may_read_keys && *alg != domain::SigningAlg::eddsa) return KeyNotRead{};
    DpopKeys uncached(1);
    auto read = (keys != nullptr ? keys : &uncached)->read(jwk_text, *jwk_it);
    if (const auto* why = std::get_if<std::string>(&read)) {
      return "the DPoP proof's jwk is refused: " + *why;
    }
    found = std::get<DpopKeys::Key>(std::move(read));
  }
  const auto& key = *found;
  if (key.alg != *alg) return std::string("the DPoP proof's alg is not its key's");
  if (key.alg == domain::SigningAlg::rs256 && !is_modest_rsa_key(key.members)) {
    return std::string("the DPoP proof's RSA key must have at most 4096 bits and a short exponent");
  }
  if (!key.verify(parts->signing_input, parts->signature)) {
    return std::string("the DPoP proof's signature does not verify with its jwk");
  }

  const auto jti = string_member(*claims, "jti");
  if (!jti || !is_storable_jti(*jti)) {
    return std::string("the DPoP proof's jti must be 1-256 characters of text");
  }
  if (string_member(*claims, "htm") != target.method) {
    return std::string("the DPoP proof's htm is not this request's method");
  }
  const auto htu = string_member(*claims, "htu");
  const auto normal = htu ? domain::normalise_http_uri(*htu) : std::nullopt;
  bool matches = false;
  for (const auto& uri : target.uris) matches = matches || (normal && *normal == uri);
  if (!matches) return std::string("the DPoP proof's htu is not this endpoint's URL");
  const auto iat = numeric_date(*claims, "iat");
  if (!iat) return std::string("the DPoP proof has no iat that is a time");
  // At iat + max age the jti may already be forgotten (JtiReplays keeps an
  // entry while its expiry is ahead), so the proof is too old by then.
  if (*iat + kDpopProofMaxAge <= now) return std::string("the DPoP proof is too old");
  if (*iat > now + kDpopProofLeeway) return std::string("the DPoP proof's iat is in the future");

  VerifiedProof verified;
  verified.jkt = key.thumbprint;
  verified.jti = *jti;
  verified.expires_at = *iat + kDpopProofMaxAge;
  if (claims->contains("nonce")) {
    const auto nonce = string_member(*claims, "nonce");
    verified.nonce = nonce.value_or("");  // not a string: no nonce of ours
  }
  return verified;
}

}  // namespace tessera::grants
