// JWTs of each signing algorithm (SPEC §3.1, §3.4): what a loaded view
// opens, what mint_jwt signs with, and what verify_jwt accepts — never a
// token whose header names another algorithm than its key's.
#include <gtest/gtest.h>
#include <sodium.h>

#include <nlohmann/json.hpp>
#include <string>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "crypto/master_key.hpp"
#include "crypto/signing_keys.hpp"
#include "domain/token_views.hpp"
#include "tokens/jwt_signing_key.hpp"
#include "tokens/jwt_token.hpp"

namespace tessera::tokens {
namespace {

using domain::SigningAlg;
using nlohmann::json;

constexpr domain::TenantId kTenant{42};

JwtClaims claims() {
  JwtClaims c;
  c.iss = "https://auth.example.test/t/acme";
  c.client_id = "client-abc";
  c.aud = "https://api.acme.test";
  c.iat = 1700000000;
  c.exp = 1700003600;
  c.jti = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  c.scope = "read";
  return c;
}

domain::Api jwt_api(std::int64_t id, std::optional<SigningAlg> alg) {
  domain::Api api;
  api.tenant_id = kTenant;
  api.id = domain::ApiId{id};
  api.identifier = "https://api" + std::to_string(id) + ".acme.test";
  api.token_format = domain::TokenFormat::jwt;
  api.signing_alg = alg;
  return api;
}

// A tenant with an active key of each algorithm, loaded as the directory
// loads it (tokens/jwt_signing_key.hpp), with `apis`.
class JwtAlgorithmsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }

  domain::TenantView loaded(std::vector<domain::Api> apis) const {
    domain::TenantView view;
    view.tenant.id = kTenant;
    view.tenant.slug = "acme";
    view.apis = std::move(apis);
    for (const auto alg : {SigningAlg::eddsa, SigningAlg::es256, SigningAlg::rs256}) {
      const auto made = crypto::make_signing_key(crypto::SubKeyRing(seal_key_), kTenant, alg,
                                                 domain::SigningKeyState::active);
      domain::PublishedKey key;
      key.kid = made.kid;
      key.alg = alg;
      key.state = made.state;
      key.public_key = made.public_key;
      key.sealed_private_key = made.sealed_private_key;
      view.keys.push_back(std::move(key));
    }
    open_jwt_signing_keys(crypto::SubKeyRing(seal_key_), view);
    return view;
  }

  crypto::SubKey seal_key_ =
      crypto::SubKey::make([](unsigned char* out) { randombytes_buf(out, crypto::SubKey::kSize); });
};

TEST_F(JwtAlgorithmsTest, EachAlgorithmMintsATokenThatVerifiesAndNamesItsKey) {
  const auto view = loaded(
      {jwt_api(1, std::nullopt), jwt_api(2, SigningAlg::es256), jwt_api(3, SigningAlg::rs256)});
  for (const auto alg : {SigningAlg::eddsa, SigningAlg::es256, SigningAlg::rs256}) {
    const auto token = mint_jwt(view, claims(), alg);
    const auto parts = crypto::jws_split(token);
    ASSERT_TRUE(parts.has_value());
    const auto header = json::parse(parts->header_json);
    EXPECT_EQ(header["alg"], domain::to_string(alg));
    EXPECT_EQ(header["kid"], view.active_key(alg)->kid);
    const auto verified = verify_jwt(view, token);
    ASSERT_TRUE(verified.has_value()) << domain::to_string(alg);
    EXPECT_EQ(verified->aud, claims().aud);
  }
}

TEST_F(JwtAlgorithmsTest, OnlyTheAlgorithmsAJwtApiSignsWithAreOpened) {
  // An opaque API of RS256 and a JWT API of ES256: only ES256 signs.
  auto opaque = jwt_api(1, SigningAlg::rs256);
  opaque.token_format = domain::TokenFormat::opaque;
  const auto view = loaded({opaque, jwt_api(2, SigningAlg::es256)});
  EXPECT_FALSE(view.active_key(SigningAlg::eddsa)->private_key.has_value());
  EXPECT_TRUE(view.active_key(SigningAlg::es256)->private_pkey.has_value());
  EXPECT_FALSE(view.active_key(SigningAlg::rs256)->private_pkey.has_value());
  EXPECT_THROW(mint_jwt(view, claims(), SigningAlg::rs256), std::runtime_error);
  // Every key is still published and verifies: its public half was read.
  for (const auto& key : view.keys) EXPECT_TRUE(key.jwk_members.is_object()) << key.kid;
  EXPECT_TRUE(view.active_key(SigningAlg::rs256)->public_pkey.has_value());
}

TEST_F(JwtAlgorithmsTest, AHeaderNamingAnotherAlgorithmThanItsKeysIsRefused) {
  const auto view = loaded(
      {jwt_api(1, std::nullopt), jwt_api(2, SigningAlg::es256), jwt_api(3, SigningAlg::rs256)});
  for (const auto signer : {SigningAlg::eddsa, SigningAlg::es256, SigningAlg::rs256}) {
    const auto* key = view.active_key(signer);
    for (const auto claimed : {SigningAlg::eddsa, SigningAlg::es256, SigningAlg::rs256}) {
      if (claimed == signer) continue;
      // Signed by the key the header names, but announced as another alg.
      const json header = {
          {"alg", domain::to_string(claimed)}, {"typ", "at+jwt"}, {"kid", key->kid}};
      const json payload = {{"iss", "i"}, {"sub", "c"}, {"client_id", "c"}, {"aud", "a"},
                            {"iat", 1},   {"exp", 2},   {"jti", "j"},       {"scope", "read"}};
      auto input = crypto::jws_signing_input(header.dump(), payload.dump());
      std::string signature;
      if (signer == SigningAlg::eddsa) {
        signature = crypto::ed25519_signature(
            input, std::string_view(reinterpret_cast<const char*>(key->private_key->data()),
                                    key->private_key->size()));
      } else {
        signature = key->private_pkey->sign(input);
      }
      EXPECT_FALSE(verify_jwt(view, crypto::jws_compact(input, signature)))
          << domain::to_string(signer) << " key, header says " << domain::to_string(claimed);
    }
  }
}

TEST_F(JwtAlgorithmsTest, AnotherKeysSignatureOfTheSameAlgorithmDoesNotVerify) {
  const auto view = loaded({jwt_api(2, SigningAlg::es256), jwt_api(3, SigningAlg::rs256)});
  const auto other = loaded({jwt_api(2, SigningAlg::es256), jwt_api(3, SigningAlg::rs256)});
  for (const auto alg : {SigningAlg::es256, SigningAlg::rs256}) {
    // The other tenant's token, relabelled with this tenant's kid.
    const auto foreign = crypto::jws_split(mint_jwt(other, claims(), alg));
    auto header = json::parse(foreign->header_json);
    header["kid"] = view.active_key(alg)->kid;
    const auto input = crypto::jws_signing_input(header.dump(), foreign->payload_json);
    EXPECT_FALSE(verify_jwt(view, crypto::jws_compact(input, foreign->signature)))
        << domain::to_string(alg);
  }
}

TEST(JwtSigningCost, OnlyRs256SignsOffTheReactor) {
  EXPECT_FALSE(signs_off_reactor(SigningAlg::eddsa));
  EXPECT_FALSE(signs_off_reactor(SigningAlg::es256));
  EXPECT_TRUE(signs_off_reactor(SigningAlg::rs256));
}

}  // namespace
}  // namespace tessera::tokens
