// Fuzzes the reading of clients' public JWKs (crypto/public_jwk), which the
// admin API takes from a client's registration. The input is parsed as JSON
// when it parses (as a JSON string otherwise) and read as a JWK. A JWK that
// is accepted must hold up: its thumbprint is a SHA-256 in base64url, its
// members keep no private or symmetric part, and reading those members
// again gives the same key.

#include <sodium.h>

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "crypto/public_jwk.hpp"
#include "fuzz_check.hpp"

namespace {

bool is_base64url(const std::string& text) {
  for (const char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  FUZZ_CHECK(sodium_init() >= 0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = tessera::fuzz::text_of(data, size);
  auto jwk = nlohmann::json::parse(text, nullptr, false);
  if (jwk.is_discarded()) jwk = std::string(text);
  const auto result = tessera::crypto::read_public_jwk(jwk);
  const auto* key = std::get_if<tessera::crypto::PublicJwk>(&result);
  if (key == nullptr) {
    FUZZ_CHECK(!std::get<std::string>(result).empty());
    return 0;
  }
  FUZZ_CHECK(key->thumbprint.size() == 43 && is_base64url(key->thumbprint));
  FUZZ_CHECK(key->thumbprint == tessera::crypto::jwk_thumbprint(key->members));
  const auto& members = key->members;
  FUZZ_CHECK(members.is_object());
  for (const char* name : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
    FUZZ_CHECK(!members.contains(name));
  }
  FUZZ_CHECK(members.at("use") == "sig");
  FUZZ_CHECK(members.at("alg") == tessera::domain::to_string(key->alg));
  FUZZ_CHECK(members.contains("kid") == !key->kid.empty());
  FUZZ_CHECK(key->alg == tessera::domain::SigningAlg::eddsa ? key->ed25519.size() == 32
                                                            : key->pkey.has_value());
  // What is kept and shown reads back as the same key.
  const auto again = tessera::crypto::read_public_jwk(members);
  const auto* same = std::get_if<tessera::crypto::PublicJwk>(&again);
  FUZZ_CHECK(same != nullptr);
  FUZZ_CHECK(same->alg == key->alg && same->kid == key->kid);
  FUZZ_CHECK(same->thumbprint == key->thumbprint && same->members == key->members);
  return 0;
}
