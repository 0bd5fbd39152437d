// DPoP's htu on the real server (docs/oauth.md, "Sender-constrained tokens
// (DPoP)"): a proof names the token endpoint under TESSERA_ISSUER_BASE, not
// the address the server happens to listen on, and, for a tenant reached by
// its own domain, that domain (the Host the request was sent to). The rest
// of DPoP is checked with jose's proofs (tests/interop/dpop.mjs).
#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <string>

#include "crypto/jws.hpp"
#include "e2e/jwt_fixture.hpp"

namespace tessera::test {
namespace {

class DpopE2eTest : public JwtFixture {
 protected:
  void SetUp() override {
    JwtFixture::SetUp();
    ASSERT_GE(sodium_init(), 0);
    std::string pk(crypto_sign_PUBLICKEYBYTES, '\0');
    secret_.assign(crypto_sign_SECRETKEYBYTES, '\0');
    crypto_sign_keypair(reinterpret_cast<unsigned char*>(pk.data()),
                        reinterpret_cast<unsigned char*>(secret_.data()));
    jwk_ = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", crypto::base64url_encode(pk)}};
  }

  // An EdDSA proof for a POST to `htu`, made now, with a jti of its own.
  std::string proof(const std::string& htu) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const json header = {{"typ", "dpop+jwt"}, {"alg", "EdDSA"}, {"jwk", jwk_}};
    const json claims = {
        {"jti", unique_name("proof")}, {"htm", "POST"}, {"htu", htu}, {"iat", now}};
    return crypto::jws_sign_eddsa(header.dump(), claims.dump(), secret_);
  }

  static HttpResult token_request(const JwtWorld& world, const std::string& path,
                                  const std::string& dpop, const std::string& host = "") {
    std::vector<std::string> headers = {"DPoP: " + dpop};
    if (!host.empty()) headers.push_back("Host: " + host);
    return post_token(url(path),
                      kClientCredentials + "&client_id=" + world.client_id +
                          "&client_secret=" + world.client_secret,
                      headers);
  }

  std::string secret_;
  json jwk_;
};

TEST_F(DpopE2eTest, HtuIsTheTokenEndpointUnderTheIssuerBaseNotTheListeningAddress) {
  const auto world = new_world(json::object());
  const auto path = "/t/" + world.slug + "/oauth/token";
  const auto bound = token_request(world, path, proof(kIssuerBase + path));
  ASSERT_TRUE(IsJsonAnswer(bound, 200)) << describe(bound);
  EXPECT_EQ(bound.json()["token_type"], "DPoP");
  // The URL the test reached the server at is not the one clients use.
  const auto local = token_request(world, path, proof(url(path)));
  ASSERT_TRUE(IsJsonAnswer(local, 400)) << describe(local);
  EXPECT_EQ(local.json()["error"], "invalid_dpop_proof");
}

TEST_F(DpopE2eTest, ATenantReachedByItsDomainTakesProofsForThatDomain) {
  const auto world = new_world(json::object());
  const auto domain = world.slug + ".auth.example.test";
  expect(admin().patch("/tenants/" + world.slug, {{"domains", {domain}}}), 200);
  // https: the issuer base's scheme; the Host's port is dropped as the
  // default one would be.
  const auto bound =
      token_request(world, "/oauth/token", proof("https://" + domain + "/oauth/token"), domain);
  ASSERT_TRUE(IsJsonAnswer(bound, 200)) << describe(bound);
  EXPECT_EQ(bound.json()["token_type"], "DPoP");
  const auto elsewhere = token_request(
      world, "/oauth/token", proof(kIssuerBase + "/t/" + world.slug + "/oauth/token"), domain);
  ASSERT_TRUE(IsJsonAnswer(elsewhere, 400)) << describe(elsewhere);
  EXPECT_EQ(elsewhere.json()["error"], "invalid_dpop_proof");
}

}  // namespace
}  // namespace tessera::test
