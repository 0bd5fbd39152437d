#include "crypto/jws.hpp"

#include <sodium.h>

#include "crypto/base64url.hpp"

namespace tessera::crypto {

std::string jws_signing_input(std::string_view header_json, std::string_view payload_json) {
  std::string out = base64url_encode(header_json);
  out += '.';
  out += base64url_encode(payload_json);
  return out;
}

std::string jws_compact(std::string signing_input, std::string_view signature) {
  signing_input += '.';
  signing_input += base64url_encode(signature);
  return signing_input;
}

std::string ed25519_signature(std::string_view signing_input, std::string_view secret_key) {
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(signing_input.data()),
                       signing_input.size(),
                       reinterpret_cast<const unsigned char*>(secret_key.data()));
  return signature;
}

std::string jws_sign_eddsa(std::string_view header_json, std::string_view payload_json,
                           std::string_view secret_key) {
  auto input = jws_signing_input(header_json, payload_json);
  const auto signature = ed25519_signature(input, secret_key);
  return jws_compact(std::move(input), signature);
}

std::optional<JwsParts> jws_split(std::string_view compact) {
  const auto first = compact.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  // JWS base64url carries no padding (RFC 7515 §2).
  if (compact.find('=') != std::string_view::npos) return std::nullopt;
  auto header = base64url_decode(compact.substr(0, first));
  auto payload = base64url_decode(compact.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(compact.substr(second + 1));
  if (!header || !payload || !signature || header->empty() || payload->empty() ||
      signature->empty()) {
    return std::nullopt;
  }
  return JwsParts{std::move(*header), std::move(*payload), std::string(compact.substr(0, second)),
                  std::move(*signature)};
}

bool jws_verify_eddsa(const JwsParts& parts, std::string_view public_key) {
  if (parts.signature.size() != crypto_sign_BYTES ||
      public_key.size() != crypto_sign_PUBLICKEYBYTES) {
    return false;
  }
  return crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(parts.signature.data()),
             reinterpret_cast<const unsigned char*>(parts.signing_input.data()),
             parts.signing_input.size(),
             reinterpret_cast<const unsigned char*>(public_key.data())) == 0;
}

}  // namespace tessera::crypto
