// Fuzzes private_key_jwt client assertions (grants/client_assertion), which
// the token endpoint reads from any peer's client_assertion. Each input is
// tried twice:
//  - as an assertion exactly as a peer would present it, verified against a
//    client's three keys (Ed25519, ES256, RS256) made at start: nobody has
//    those keys' private halves, so no input may be accepted;
//  - as JSON the client's own Ed25519 key signs ("<header>\n<payload>", or
//    only claims under a fixed header), so the fuzzer reaches the claim
//    checks behind the signature. What is accepted must be what the claims
//    say: iss and sub the client, a jti of 1-256 characters, expires_at
//    exp plus the leeway, no further ahead than five minutes and twice the
//    leeway.
// The kids, client id, audience and time are fixed (and in the dictionary).

#include <sodium.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "crypto/pkey.hpp"
#include "crypto/public_jwk.hpp"
#include "fuzz_check.hpp"
#include "grants/client_assertion.hpp"

namespace {

using tessera::grants::VerifiedAssertion;

const std::string kClient = "client-1";
const std::vector<std::string> kAudiences = {"https://as.example/token", "https://as.example"};
// 2023-11-14T22:13:20Z: exp near 1700000060 is alive.
const tessera::domain::Timestamp kNow{std::chrono::seconds(1'700'000'000)};

struct Fixture {
  std::vector<tessera::crypto::PublicJwk> keys;
  std::string ed25519_secret;  // libsodium form
  std::string header_json;     // for claims-only inputs
};

const Fixture* g_fixture = nullptr;

tessera::crypto::PublicJwk read(nlohmann::json jwk, const char* kid) {
  jwk["kid"] = kid;
  const auto result = tessera::crypto::read_public_jwk(jwk);
  FUZZ_CHECK(std::holds_alternative<tessera::crypto::PublicJwk>(result));
  return std::get<tessera::crypto::PublicJwk>(result);
}

Fixture make_fixture() {
  Fixture fixture;
  std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
  fixture.ed25519_secret.assign(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                      reinterpret_cast<unsigned char*>(fixture.ed25519_secret.data()));
  fixture.keys.push_back(read(
      {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", tessera::crypto::base64url_encode(public_key)}},
      "ed-1"));
  for (const auto& [alg, kid] : {std::pair{tessera::domain::SigningAlg::es256, "ec-1"},
                                 std::pair{tessera::domain::SigningAlg::rs256, "rsa-1"}}) {
    const auto pair = tessera::crypto::pkey_generate(alg);
    const auto pkey = tessera::crypto::PublicPkey::from_der(alg, pair.public_der);
    FUZZ_CHECK(pkey.has_value());
    fixture.keys.push_back(read(pkey->jwk_members(), kid));
  }
  fixture.header_json = R"({"alg":"EdDSA","kid":"ed-1"})";
  return fixture;
}

std::variant<VerifiedAssertion, std::string> verify(std::string_view assertion) {
  return tessera::grants::verify_client_assertion(assertion, kClient, g_fixture->keys, kAudiences,
                                                  kNow);
}

void check_presented(std::string_view assertion) {
  (void)tessera::grants::assertion_client_id(assertion);
  const auto result = verify(assertion);
  // Nobody but the client can sign, and the client's keys were made now.
  FUZZ_CHECK(std::holds_alternative<std::string>(result));
  FUZZ_CHECK(!std::get<std::string>(result).empty());
}

void check_signed(std::string_view header_json, std::string_view payload_json) {
  const auto assertion =
      tessera::crypto::jws_sign_eddsa(header_json, payload_json, g_fixture->ed25519_secret);
  const auto client_id = tessera::grants::assertion_client_id(assertion);
  const auto result = verify(assertion);
  const auto* verified = std::get_if<VerifiedAssertion>(&result);
  if (verified == nullptr) {
    FUZZ_CHECK(!std::get<std::string>(result).empty());
    return;
  }
  const auto claims = nlohmann::json::parse(payload_json);
  FUZZ_CHECK(client_id == kClient);
  FUZZ_CHECK(claims.at("iss") == kClient && claims.at("sub") == kClient);
  FUZZ_CHECK(claims.at("jti") == verified->jti);
  FUZZ_CHECK(!verified->jti.empty() && verified->jti.size() <= 256);
  const auto leeway = tessera::grants::kAssertionLeeway;
  FUZZ_CHECK(verified->expires_at > kNow);
  FUZZ_CHECK(verified->expires_at <= kNow + tessera::grants::kMaxAssertionLifetime + 2 * leeway);
  const auto exp = std::chrono::duration_cast<std::chrono::seconds>(
                       (verified->expires_at - leeway).time_since_epoch())
                       .count();
  FUZZ_CHECK(claims.at("exp").get<double>() >= static_cast<double>(exp) &&
             claims.at("exp").get<double>() < static_cast<double>(exp + 1));
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
