#include "crypto/signing_alg.hpp"

namespace tessera::crypto {

std::string_view to_string(SigningAlg alg) {
  switch (alg) {
    case SigningAlg::eddsa:
      return "EdDSA";
    case SigningAlg::es256:
      return "ES256";
    case SigningAlg::rs256:
      return "RS256";
  }
  return "";  // unreachable: every enumerator is handled above
}

std::optional<SigningAlg> parse_signing_alg(std::string_view name) {
  for (const auto alg : {SigningAlg::eddsa, SigningAlg::es256, SigningAlg::rs256}) {
    if (name == to_string(alg)) return alg;
  }
  return std::nullopt;
}

}  // namespace tessera::crypto
