#include "tokens/public_jwk.hpp"

#include "crypto/base64url.hpp"
#include "crypto/pkey.hpp"

namespace tessera::tokens {

nlohmann::json public_jwk_members(domain::SigningAlg alg, std::string_view public_key) {
  if (alg == domain::SigningAlg::eddsa) {
    if (public_key.size() != 32) return nullptr;
    return {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", crypto::base64url_encode(public_key)}};
  }
  const auto key = crypto::PublicPkey::from_der(alg, public_key);
  if (!key) return nullptr;
  return key->jwk_members();
}

}  // namespace tessera::tokens
