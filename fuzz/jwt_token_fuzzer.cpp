// Fuzzes JWT access token verification (crypto/jws, tokens/jwt_token), which
// reads the tokens presented to introspection and revocation. Each input is
// tried twice:
//  - as a compact token, exactly as a peer would present it: no input may
//    pass without the tenant's signature;
//  - as JSON that the tenant's own key signs ("<header>\n<payload>", or only
//    a payload under Tessera's header), so the fuzzer reaches the header and
//    claim checks behind the signature. Claims that verify must mint and
//    verify again unchanged.
// The tenant and its keys are made once, in LLVMFuzzerInitialize: an active
// Ed25519 key that signs, and ES256 and RS256 keys with fixed kids (in the
// dictionary), so that presented tokens naming them reach OpenSSL's
// verification with a peer's signature bytes.

#include <sodium.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "crypto/sealed.hpp"
#include "crypto/signing_keys.hpp"
#include "fuzz_check.hpp"
#include "tokens/jwt_token.hpp"

namespace {

using tessera::tokens::JwtClaims;

struct Fixture {
  tessera::domain::TenantView tenant;  // its active key open, as the directory loads it
  std::string secret_key;              // the active key's private half, libsodium form
  std::string header_json;             // what mint_jwt writes
};

const Fixture* g_fixture = nullptr;

Fixture make_fixture() {
  auto seal_key = tessera::crypto::SubKey::make(
      [](unsigned char* out) { randombytes_buf(out, tessera::crypto::SubKey::kSize); });
  tessera::domain::TenantView tenant;
  tenant.tenant.id = tessera::domain::TenantId{42};
  tenant.tenant.slug = "acme";
  const tessera::crypto::SubKeyRing seal_keys(seal_key);
  const auto made = tessera::crypto::make_signing_key(seal_keys, tenant.tenant.id,
                                                      tessera::domain::SigningKeyState::active);
  tessera::domain::PublishedKey published;
  published.kid = made.kid;
  published.state = made.state;
  published.public_key = made.public_key;
  published.sealed_private_key = made.sealed_private_key;
  published.private_key = tessera::crypto::open_signing_key(seal_key, tenant.tenant.id, made.kid,
                                                            made.sealed_private_key);
  FUZZ_CHECK(published.private_key.has_value());
  tenant.keys.push_back(published);
  for (const auto& [alg, kid] : {std::pair{tessera::domain::SigningAlg::es256, "es256key"},
                                 std::pair{tessera::domain::SigningAlg::rs256, "rs256key"}}) {
    const auto other = tessera::crypto::make_signing_key(seal_keys, tenant.tenant.id, alg,
                                                         tessera::domain::SigningKeyState::next);
    tessera::domain::PublishedKey key;
    key.kid = kid;
    key.alg = alg;
    key.public_key = other.public_key;
    key.public_pkey = tessera::crypto::PublicPkey::from_der(alg, other.public_key);
    FUZZ_CHECK(key.public_pkey.has_value());
    tenant.keys.push_back(key);
  }
  auto secret = tessera::crypto::open_sealed(
      seal_key, made.sealed_private_key,
      tessera::crypto::signing_key_associated_data(tenant.tenant.id, made.kid));
  FUZZ_CHECK(secret && secret->size() == crypto_sign_SECRETKEYBYTES);
  const nlohmann::json header = {{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", made.kid}};
  return {tenant, *secret, header.dump()};
}

bool same(const JwtClaims& a, const JwtClaims& b) {
  return a.iss == b.iss && a.client_id == b.client_id && a.aud == b.aud && a.iat == b.iat &&
         a.exp == b.exp && a.jti == b.jti && a.scope == b.scope;
}

void check_presented(std::string_view token) {
  (void)tessera::tokens::looks_like_jwt(token);
  if (const auto parts = tessera::crypto::jws_split(token)) {
    // Every part is canonical base64url: one token has one spelling.
    const auto first = token.find('.');
    const auto second = token.find('.', first + 1);
    FUZZ_CHECK(parts->signing_input == token.substr(0, second));
    FUZZ_CHECK(tessera::crypto::base64url_encode(parts->header_json) == token.substr(0, first));
    FUZZ_CHECK(tessera::crypto::base64url_encode(parts->payload_json) ==
               token.substr(first + 1, second - first - 1));
    FUZZ_CHECK(tessera::crypto::base64url_encode(parts->signature) == token.substr(second + 1));
  }
  // Nobody but the tenant can sign: a presented input never verifies.
  FUZZ_CHECK(!tessera::tokens::verify_jwt(g_fixture->tenant, token));
}

void check_signed(std::string_view header_json, std::string_view payload_json) {
  const auto& fixture = *g_fixture;
  const auto token = tessera::crypto::jws_sign_eddsa(header_json, payload_json, fixture.secret_key);
  const auto claims = tessera::tokens::verify_jwt(fixture.tenant, token);
  if (!claims) return;
  // What verifies is what the payload says.
  const auto payload = nlohmann::json::parse(payload_json);
  FUZZ_CHECK(payload.at("iss") == claims->iss);
  FUZZ_CHECK(payload.at("client_id") == claims->client_id);
  FUZZ_CHECK(payload.at("aud") == claims->aud);
  FUZZ_CHECK(payload.at("jti") == claims->jti);
  FUZZ_CHECK(payload.at("scope") == claims->scope);
  FUZZ_CHECK(payload.at("iat") == claims->iat);
  FUZZ_CHECK(payload.at("exp") == claims->exp);
  // The claims mint and verify again unchanged.
  const auto minted = tessera::tokens::mint_jwt(fixture.tenant, *claims);
  const auto again = tessera::tokens::verify_jwt(fixture.tenant, minted);
  FUZZ_CHECK(again && same(*again, *claims));
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
