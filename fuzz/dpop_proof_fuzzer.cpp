// Fuzzes DPoP proofs (grants/dpop_proof, RFC 9449), which the token
// endpoint reads from any peer's DPoP header, and the URI normalisation
// their htu goes through. Each input is tried twice:
//  - as a proof exactly as a peer would present it: a proof carries its own
//    key, so one may be accepted, but then only with what a proof must say
//    (below);
//  - as JSON signed with a fixed Ed25519 key ("<header>\n<payload>", or
//    only claims under a header holding that key's JWK), so the fuzzer
//    reaches the claim checks behind the signature.
// Whatever is accepted: htm is the target's method, htu normalises to the
// target's URI, iat is within the window, the jti is the claim's (1-256
// characters), expires_at is iat plus a minute, the thumbprint is 43
// base64url characters (the fixed key's for signed inputs).
// The key, target and time are fixed (and in the dictionary and corpus).

#include <sodium.h>

#include <array>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "crypto/public_jwk.hpp"
#include "domain/http_uri.hpp"
#include "fuzz_check.hpp"
#include "grants/dpop_proof.hpp"

namespace {

using tessera::grants::VerifiedProof;

const tessera::grants::DpopTarget kTarget{"POST", {"https://as.example/t/acme/oauth/token"}};
// 2023-11-14T22:13:20Z: iat near 1700000000 is fresh.
const tessera::domain::Timestamp kNow{std::chrono::seconds(1'700'000'000)};

struct Fixture {
  std::string secret;       // libsodium form
  std::string thumbprint;   // of its public JWK
  std::string header_json;  // for claims-only inputs
};

const Fixture* g_fixture = nullptr;

Fixture make_fixture() {
  // A fixed seed: the corpus and the dictionary hold the public key.
  std::array<unsigned char, crypto_sign_SEEDBYTES> seed{};
  seed.fill(0x07);
  std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
  Fixture fixture;
  fixture.secret.assign(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                           reinterpret_cast<unsigned char*>(fixture.secret.data()), seed.data());
  const nlohmann::json jwk = {
      {"kty", "OKP"}, {"crv", "Ed25519"}, {"x", tessera::crypto::base64url_encode(public_key)}};
  fixture.thumbprint = tessera::crypto::jwk_thumbprint(jwk);
  fixture.header_json = nlohmann::json{{"typ", "dpop+jwt"}, {"alg", "EdDSA"}, {"jwk", jwk}}.dump();
  return fixture;
}

bool is_base64url(const std::string& text) {
  for (const char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

// What an accepted proof must say; `payload_json` when its claims are known.
void check_accepted(const VerifiedProof& proof, std::string_view payload_json) {
  FUZZ_CHECK(proof.jkt.size() == 43 && is_base64url(proof.jkt));
  FUZZ_CHECK(!proof.jti.empty() && proof.jti.size() <= 256);
  FUZZ_CHECK(proof.expires_at >= kNow);
  FUZZ_CHECK(proof.expires_at <=
             kNow + tessera::grants::kDpopProofLeeway + tessera::grants::kDpopProofMaxAge);
  if (payload_json.empty()) return;
  const auto claims = nlohmann::json::parse(payload_json);
  FUZZ_CHECK(claims.at("htm") == kTarget.method);
  FUZZ_CHECK(tessera::domain::normalise_http_uri(claims.at("htu").get<std::string>()) ==
             kTarget.uris.front());
  FUZZ_CHECK(claims.at("jti") == proof.jti);
  const auto iat = claims.at("iat").get<double>();
  const auto expires =
      std::chrono::duration_cast<std::chrono::seconds>(
          (proof.expires_at - tessera::grants::kDpopProofMaxAge).time_since_epoch())
          .count();
  FUZZ_CHECK(iat >= static_cast<double>(expires) && iat < static_cast<double>(expires + 1));
}

void check_presented(std::string_view proof) {
  (void)tessera::domain::normalise_http_uri(proof);
  const auto result = tessera::grants::verify_dpop_proof(proof, kTarget, kNow);
  if (const auto* verified = std::get_if<VerifiedProof>(&result)) {
    check_accepted(*verified, {});
  } else {
    FUZZ_CHECK(!std::get<std::string>(result).empty());
  }
}

void check_signed(std::string_view header_json, std::string_view payload_json) {
  const auto proof = tessera::crypto::jws_sign_eddsa(header_json, payload_json, g_fixture->secret);
  const auto result = tessera::grants::verify_dpop_proof(proof, kTarget, kNow);
  const auto* verified = std::get_if<VerifiedProof>(&result);
  if (verified == nullptr) {
    FUZZ_CHECK(!std::get<std::string>(result).empty());
    return;
  }
  check_accepted(*verified, payload_json);
  // Signed by the fixed key: accepted only with its JWK in the header.
  FUZZ_CHECK(verified->jkt == g_fixture->thumbprint);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  FUZZ_CHECK(sodium_init() >= 0);
  static const Fixture fixture = make_fixture();
  g_fixture = &fixture;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = tessera::fuzz::text_of(data, size);
  check_presented(text);
  const auto newline = text.find('\n');
  if (newline == std::string_view::npos) {
    check_signed(g_fixture->header_json, text);
  } else {
    check_signed(text.substr(0, newline), text.substr(newline + 1));
  }
  return 0;
}
