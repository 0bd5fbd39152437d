// JWT access tokens (RFC 9068, SPEC §3.1): what mint_jwt signs with a
// tenant's active key and what verify_jwt accepts, on a hand-built
// TenantView with keys from crypto::make_signing_key, opened as the
// directory opens them when it loads a view (tokens/jwt_signing_key).
#include "tokens/jwt_token.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "crypto/master_key.hpp"
#include "crypto/sealed.hpp"
#include "crypto/signing_keys.hpp"
#include "domain/token_views.hpp"
#include "tokens/jwt_signing_key.hpp"

namespace tessera::tokens {
namespace {

using nlohmann::json;

crypto::SubKey seal_key_of(char fill) {
  if (sodium_init() < 0) throw std::runtime_error("sodium_init failed");
  return crypto::MasterKey::parse(crypto::base64url_encode(std::string(32, fill)))
      .value()
      .derive(crypto::KeyPurpose::signing_key_seal);
}

domain::PublishedKey published(const domain::NewSigningKey& key) {
  domain::PublishedKey out;
  out.kid = key.kid;
  out.state = key.state;
  out.public_key = key.public_key;
  out.sealed_private_key = key.sealed_private_key;
  return out;
}

JwtClaims sample_claims() {
  JwtClaims claims;
  claims.iss = "https://auth.example.test/t/acme";
  claims.client_id = "client-abc";
  claims.aud = "https://api.acme.test";
  claims.iat = 1700000000;
  claims.exp = 1700003600;
  claims.jti = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  claims.scope = "read write";
  return claims;
}

// A tenant (id 42) of JWTs whose view holds a next, an active and a retired
// key, as the JWKS publishes them, the active one open as a loaded view
// has it; the test opens the private halves itself when it needs to sign
// something by hand.
class JwtTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    next_ = crypto::make_signing_key(crypto::SubKeyRing(seal_key_), kTenant,
                                     domain::SigningKeyState::next);
    active_ = crypto::make_signing_key(crypto::SubKeyRing(seal_key_), kTenant,
                                       domain::SigningKeyState::active);
    retired_ = crypto::make_signing_key(crypto::SubKeyRing(seal_key_), kTenant,
                                        domain::SigningKeyState::retired);
    view_.tenant.id = kTenant;
    view_.tenant.slug = "acme";
    view_.tenant.token_format = domain::TokenFormat::jwt;
    domain::Api api;
    api.tenant_id = kTenant;
    api.id = domain::ApiId{1};
    api.identifier = "https://api.acme.test";
    view_.apis = {api};
    view_.keys = {published(next_), published(active_), published(retired_)};
    // Only the active key's private half is loaded into a real view.
    view_.keys[0].sealed_private_key.clear();
    view_.keys[2].sealed_private_key.clear();
    view_ = loaded(view_, seal_key_);
  }

  // `view` as the directory would load it: its keys as PostgreSQL gives
  // them, the active one then opened with `seal_key`.
  static domain::TenantView loaded(domain::TenantView view, const crypto::SubKey& seal_key) {
    for (auto& key : view.keys) key.private_key.reset();
    open_jwt_signing_keys(crypto::SubKeyRing(seal_key), view);
    return view;
  }

  // The 64-byte secret key of one of the test keys.
  std::string secret_of(const domain::NewSigningKey& key) const {
    auto opened = crypto::open_sealed(seal_key_, key.sealed_private_key,
                                      crypto::signing_key_associated_data(kTenant, key.kid));
    if (!opened) throw std::runtime_error("a test key does not open");
    return *opened;
  }

  // A token signed by hand: any header and payload, any secret key.
  static std::string sign(const json& header, const json& payload, const std::string& secret) {
    return crypto::jws_sign_eddsa(header.dump(), payload.dump(), secret);
  }

  json header_for(const domain::NewSigningKey& key) const {
    return {{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", key.kid}};
  }

  static json payload_of(const JwtClaims& c) {
    return {{"iss", c.iss}, {"sub", c.client_id}, {"client_id", c.client_id},
            {"aud", c.aud}, {"iat", c.iat},       {"exp", c.exp},
            {"jti", c.jti}, {"scope", c.scope}};
  }

  static void expect_same_claims(const JwtClaims& got, const JwtClaims& want) {
    EXPECT_EQ(got.iss, want.iss);
    EXPECT_EQ(got.client_id, want.client_id);
    EXPECT_EQ(got.aud, want.aud);
    EXPECT_EQ(got.iat, want.iat);
    EXPECT_EQ(got.exp, want.exp);
    EXPECT_EQ(got.jti, want.jti);
    EXPECT_EQ(got.scope, want.scope);
  }

  const domain::TenantId kTenant{42};
  crypto::SubKey seal_key_ = seal_key_of('s');
  domain::NewSigningKey next_;
  domain::NewSigningKey active_;
  domain::NewSigningKey retired_;
  domain::TenantView view_;
};

// --- Minting -----------------------------------------------------------------

TEST_F(JwtTokenTest, TheHeaderIsEdDsaAtJwtWithTheActiveKid) {
  const auto token = mint_jwt(view_, sample_claims());
  const auto parts = crypto::jws_split(token);
  ASSERT_TRUE(parts.has_value()) << token;
  const auto header = json::parse(parts->header_json);
  EXPECT_EQ(header, (json{{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", active_.kid}}))
      << parts->header_json;
}

TEST_F(JwtTokenTest, ThePayloadHoldsExactlyTheRfc9068Claims) {
  const auto claims = sample_claims();
  const auto parts = crypto::jws_split(mint_jwt(view_, claims));
  ASSERT_TRUE(parts.has_value());
  const auto payload = json::parse(parts->payload_json);
  EXPECT_EQ(payload, (json{{"iss", "https://auth.example.test/t/acme"},
                           {"sub", "client-abc"},
                           {"client_id", "client-abc"},
                           {"aud", "https://api.acme.test"},
                           {"iat", 1700000000},
                           {"exp", 1700003600},
                           {"jti", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"},
                           {"scope", "read write"}}))
      << parts->payload_json;
  EXPECT_TRUE(payload["iat"].is_number_integer());
  EXPECT_TRUE(payload["exp"].is_number_integer());
}

TEST_F(JwtTokenTest, IsSignedByTheActiveKeyOnly) {
  const auto parts = crypto::jws_split(mint_jwt(view_, sample_claims()));
  ASSERT_TRUE(parts.has_value());
  EXPECT_TRUE(crypto::jws_verify_eddsa(*parts, active_.public_key));
  EXPECT_FALSE(crypto::jws_verify_eddsa(*parts, next_.public_key));
  EXPECT_FALSE(crypto::jws_verify_eddsa(*parts, retired_.public_key));
}

TEST_F(JwtTokenTest, AMintedTokenVerifiesWithItsClaims) {
  const auto claims = sample_claims();
  const auto token = mint_jwt(view_, claims);
  EXPECT_TRUE(looks_like_jwt(token));
  const auto verified = verify_jwt(view_, token);
  ASSERT_TRUE(verified.has_value()) << token;
  expect_same_claims(*verified, claims);
}

TEST_F(JwtTokenTest, FollowsTheActiveKeyWhenItChanges) {
  auto rotated = view_;
  rotated.keys[0].state = domain::SigningKeyState::active;  // the former next key
  rotated.keys[0].sealed_private_key = next_.sealed_private_key;
  rotated.keys[1].state = domain::SigningKeyState::retired;
  rotated.keys[1].sealed_private_key.clear();
  rotated = loaded(rotated, seal_key_);  // a rotation reloads the view
  const auto token = mint_jwt(rotated, sample_claims());
  const auto parts = crypto::jws_split(token);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(json::parse(parts->header_json)["kid"], next_.kid);
  EXPECT_TRUE(crypto::jws_verify_eddsa(*parts, next_.public_key));
  // A token of the old active key still verifies while that key is published.
  EXPECT_TRUE(verify_jwt(rotated, mint_jwt(view_, sample_claims())).has_value());
}

TEST_F(JwtTokenTest, AKeySealedForAnotherTenantDoesNotMint) {
  auto other_tenant = view_;
  other_tenant.tenant.id = domain::TenantId{43};
  EXPECT_THROW(mint_jwt(loaded(other_tenant, seal_key_), sample_claims()), std::runtime_error);
}

TEST_F(JwtTokenTest, AnotherSealKeyDoesNotMint) {
  EXPECT_THROW(mint_jwt(loaded(view_, seal_key_of('t')), sample_claims()), std::runtime_error);
}

TEST_F(JwtTokenTest, ATenantWithoutAnActiveKeyDoesNotMint) {
  auto no_active = view_;
  no_active.keys.erase(no_active.keys.begin() + 1);
  EXPECT_THROW(mint_jwt(loaded(no_active, seal_key_), sample_claims()), std::runtime_error);
}

// --- Verifying ---------------------------------------------------------------

TEST_F(JwtTokenTest, AcceptsTokensOfEveryPublishedKey) {
  const auto claims = sample_claims();
  for (const auto* key : {&next_, &active_, &retired_}) {
    const auto token = sign(header_for(*key), payload_of(claims), secret_of(*key));
    const auto verified = verify_jwt(view_, token);
    ASSERT_TRUE(verified.has_value()) << domain::to_string(key->state);
    expect_same_claims(*verified, claims);
  }
}

TEST_F(JwtTokenTest, RefusesATokenSignedByAKeyNotInTheView) {
  const auto outsider = crypto::make_signing_key(crypto::SubKeyRing(seal_key_), kTenant,
                                                 domain::SigningKeyState::active);
  const auto payload = payload_of(sample_claims());
  // Its own kid: unknown to the view.
  EXPECT_FALSE(verify_jwt(view_, sign(header_for(outsider), payload, secret_of(outsider))));
  // The active kid, but the outsider's signature.
  EXPECT_FALSE(verify_jwt(view_, sign(header_for(active_), payload, secret_of(outsider))));
  // Minted by another tenant's view.
  auto other_view = view_;
  other_view.keys = {published(outsider)};
  other_view = loaded(other_view, seal_key_);
  const auto foreign = mint_jwt(other_view, sample_claims());
  ASSERT_TRUE(verify_jwt(other_view, foreign).has_value());
  EXPECT_FALSE(verify_jwt(view_, foreign).has_value());
}

TEST_F(JwtTokenTest, RefusesATokenOnceItsKeyIsNoLongerPublished) {
  const auto token = mint_jwt(view_, sample_claims());
  auto without = view_;
  without.keys.erase(without.keys.begin() + 1);
  EXPECT_FALSE(verify_jwt(without, token).has_value());
}

TEST_F(JwtTokenTest, RefusesTamperedTokens) {
  const auto token = mint_jwt(view_, sample_claims());
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  auto claims = payload_of(sample_claims());
  claims["scope"] = "read write admin";
  const auto forged =
      token.substr(0, first + 1) + crypto::base64url_encode(claims.dump()) + token.substr(second);
  EXPECT_FALSE(verify_jwt(view_, forged).has_value());
  auto flipped = token;
  flipped[second + 5] = flipped[second + 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_jwt(view_, flipped).has_value());
}

TEST_F(JwtTokenTest, RefusesATypOtherThanAtJwt) {
  const auto payload = payload_of(sample_claims());
  const auto secret = secret_of(active_);
  auto header = header_for(active_);
  ASSERT_TRUE(verify_jwt(view_, sign(header, payload, secret)).has_value());
  header["typ"] = "JWT";
  EXPECT_FALSE(verify_jwt(view_, sign(header, payload, secret)).has_value());
  header["typ"] = "AT+JWT-NOT";
  EXPECT_FALSE(verify_jwt(view_, sign(header, payload, secret)).has_value());
  header.erase("typ");
  EXPECT_FALSE(verify_jwt(view_, sign(header, payload, secret)).has_value());
}

TEST_F(JwtTokenTest, RefusesAlgNone) {
  const auto payload = payload_of(sample_claims());
  auto header = header_for(active_);
  header["alg"] = "none";
  // An unsecured JWS (RFC 7515 §A.5): empty signature.
  const auto unsecured = crypto::base64url_encode(header.dump()) + "." +
                         crypto::base64url_encode(payload.dump()) + ".";
  EXPECT_FALSE(verify_jwt(view_, unsecured).has_value());
  // Even with a valid Ed25519 signature, the header must say EdDSA.
  EXPECT_FALSE(verify_jwt(view_, sign(header, payload, secret_of(active_))).has_value());
  header["alg"] = "HS256";
  EXPECT_FALSE(verify_jwt(view_, sign(header, payload, secret_of(active_))).has_value());
  header.erase("alg");
  EXPECT_FALSE(verify_jwt(view_, sign(header, payload, secret_of(active_))).has_value());
}

TEST_F(JwtTokenTest, RefusesHeadersOfTheWrongTypesWithoutThrowing) {
  const auto payload = payload_of(sample_claims());
  const auto secret = secret_of(active_);
  const json headers[] = {
      {{"alg", 1}, {"typ", "at+jwt"}, {"kid", active_.kid}},
      {{"alg", "EdDSA"}, {"typ", json::array({"at+jwt"})}, {"kid", active_.kid}},
      {{"alg", nullptr}, {"typ", "at+jwt"}, {"kid", active_.kid}},
      {{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", 7}},
      {{"alg", "EdDSA"}, {"typ", "at+jwt"}},
      json::array({"EdDSA"}),
  };
  for (const auto& header : headers) {
    std::optional<JwtClaims> verified;
    EXPECT_NO_THROW(verified = verify_jwt(view_, sign(header, payload, secret))) << header.dump();
    EXPECT_FALSE(verified.has_value()) << header.dump();
  }
}

TEST_F(JwtTokenTest, RefusesMissingOrMistypedClaims) {
  const auto secret = secret_of(active_);
  for (const char* claim : {"iss", "client_id", "aud", "iat", "exp", "jti", "scope"}) {
    auto payload = payload_of(sample_claims());
    payload.erase(claim);
    EXPECT_FALSE(verify_jwt(view_, sign(header_for(active_), payload, secret))) << "no " << claim;
  }
  auto payload = payload_of(sample_claims());
  payload["exp"] = "1700003600";
  EXPECT_FALSE(verify_jwt(view_, sign(header_for(active_), payload, secret))) << "exp a string";
  payload = payload_of(sample_claims());
  payload["aud"] = json::array({"https://api.acme.test"});
  EXPECT_FALSE(verify_jwt(view_, sign(header_for(active_), payload, secret))) << "aud an array";
  EXPECT_FALSE(verify_jwt(view_, sign(header_for(active_), json::array({1}), secret)))
      << "a payload that is not an object";
}

// Found by fuzz/jwt_token_fuzzer: nlohmann-json converts a number claim to
// int64 with a plain cast, undefined behaviour for 1e300 (UBSan:
// float-cast-overflow), and quietly wraps 2^64-1 to -1. Tessera mints whole
// seconds; any other number was not minted by it.
TEST_F(JwtTokenTest, RefusesTimeClaimsThatAreNotWholeSecondsInRange) {
  const auto secret = secret_of(active_);
  for (const char* claim : {"iat", "exp"}) {
    for (const json& value : {json(1e300), json(-1e300), json(1700000000.5),
                              json(std::numeric_limits<std::uint64_t>::max())}) {
      auto payload = payload_of(sample_claims());
      payload[claim] = value;
      EXPECT_FALSE(verify_jwt(view_, sign(header_for(active_), payload, secret)))
          << claim << " = " << value.dump();
    }
  }
}

TEST_F(JwtTokenTest, RefusesMalformedCompactForms) {
  const auto token = mint_jwt(view_, sample_claims());
  EXPECT_FALSE(verify_jwt(view_, "").has_value());
  EXPECT_FALSE(verify_jwt(view_, "a.b.c").has_value());
  EXPECT_FALSE(verify_jwt(view_, token + ".x").has_value());
  EXPECT_FALSE(verify_jwt(view_, token + "=").has_value());
  EXPECT_FALSE(verify_jwt(view_, token.substr(0, token.rfind('.'))).has_value());
  const auto not_json = crypto::base64url_encode("not json") + "." +
                        crypto::base64url_encode(payload_of(sample_claims()).dump()) + "." +
                        token.substr(token.rfind('.') + 1);
  EXPECT_FALSE(verify_jwt(view_, not_json).has_value());
}

TEST(LooksLikeJwtTest, TellsACompactJwsFromAnOpaqueToken) {
  EXPECT_TRUE(looks_like_jwt("a.b.c"));
  EXPECT_FALSE(
      looks_like_jwt("tsat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
  EXPECT_FALSE(looks_like_jwt("a.b"));
  EXPECT_FALSE(looks_like_jwt(""));
}

}  // namespace
}  // namespace tessera::tokens
