// grants::check_dpop: what a client's dpop setting does with a request's
// proofs (RFC 9449 §5), the server-nonce flow (§8) and replays (§11.1).
#include "grants/dpop_check.hpp"

#include <gtest/gtest.h>

#include "domain/oauth_error.hpp"
#include "dpop_proof_fixture.hpp"

namespace tessera::grants::test {
namespace {

using domain::DpopMode;
using domain::OAuthError;
using domain::OAuthErrorCode;

const domain::TenantId kTenant{7};

crypto::SubKeyRing nonce_keys() {
  return crypto::MasterKeyRing(
             {domain::kFirstMasterKey,
              crypto::MasterKey::parse(crypto::base64url_encode(std::string(32, 'n'))).value()},
             {})
      .derive(crypto::KeyPurpose::dpop_nonce);
}

class DpopCheckTest : public ::testing::Test {
 protected:
  DpopCheckTest() { client_.client_id = domain::ClientId{kClient}; }

  std::optional<DpopBinding> check(const std::vector<std::string>& proofs) {
    const auto checked =
        check_dpop({replays_, nonces_, keys_}, proofs, kDpopTarget, kTenant, client_, kNow);
    EXPECT_FALSE(checked.needs_worker);
    return checked.binding;
  }

  // The error check() throws, or none.
  std::optional<OAuthError> refusal(const std::vector<std::string>& proofs) {
    try {
      check(proofs);
    } catch (const OAuthError& error) {
      return error;
    }
    return std::nullopt;
  }

  static std::string proof_with_nonce(const std::string& jti, const std::string& nonce) {
    auto claims = dpop_claims(jti);
    claims["nonce"] = nonce;
    return dpop_proof(keys().es256, dpop_header(keys().es256), claims);
  }

  domain::Client client_;
  JtiReplays replays_;
  DpopNonces nonces_{nonce_keys()};
  DpopKeys keys_;
};

TEST_F(DpopCheckTest, BindsToTheProofsKeyWhenAllowed) {
  const auto binding = check({dpop_proof(keys().eddsa, "p-1")});
  ASSERT_TRUE(binding);
  EXPECT_EQ(binding->jkt, keys().eddsa.jwk.thumbprint);
  EXPECT_EQ(binding->jti, "p-1");
  EXPECT_EQ(binding->expires_at, kNow + kDpopProofMaxAge);
  EXPECT_EQ(check({}), std::nullopt);  // no proof: a Bearer token
}

TEST_F(DpopCheckTest, RefusesAProofSeenBefore) {
  const auto proof = dpop_proof(keys().eddsa, "p-1");
  ASSERT_TRUE(check({proof}));
  const auto error = refusal({proof});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), OAuthErrorCode::invalid_dpop_proof);
  EXPECT_EQ(error->status(), 400);
}

TEST_F(DpopCheckTest, RequiredRefusesNoProofAndOffRefusesOne) {
  client_.dpop = DpopMode::required;
  EXPECT_EQ(refusal({})->code(), OAuthErrorCode::invalid_dpop_proof);
  EXPECT_TRUE(check({dpop_proof(keys().eddsa, "p-1")}));
  client_.dpop = DpopMode::off;
  EXPECT_EQ(refusal({dpop_proof(keys().eddsa, "p-2")})->code(), OAuthErrorCode::invalid_dpop_proof);
  EXPECT_EQ(check({}), std::nullopt);
}

TEST_F(DpopCheckTest, RefusesSeveralProofsAndABadOneWithItsReason) {
  EXPECT_EQ(refusal({dpop_proof(keys().eddsa, "p-1"), dpop_proof(keys().eddsa, "p-2")})->code(),
            OAuthErrorCode::invalid_dpop_proof);
  auto claims = dpop_claims();
  claims["htm"] = "GET";
  const auto error = refusal({dpop_proof(keys().eddsa, dpop_header(keys().eddsa), claims)});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), OAuthErrorCode::invalid_dpop_proof);
  EXPECT_NE(std::string(error->what()).find("htm"), std::string::npos) << error->what();
}

TEST_F(DpopCheckTest, AsksForTheNonceThenTakesIt) {
  client_.dpop_nonce = true;
  const auto asked = refusal({dpop_proof(keys().es256, "p-1")});
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->code(), OAuthErrorCode::use_dpop_nonce);
  EXPECT_EQ(asked->status(), 400);
  ASSERT_TRUE(asked->dpop_nonce());
  const auto nonce = *asked->dpop_nonce();
  EXPECT_EQ(nonce, nonces_.issue(kTenant, kClient, kNow));
  // The proof refused for its nonce did not use its jti: sent again with
  // the nonce, under the same jti, it is accepted.
  EXPECT_TRUE(check({proof_with_nonce("p-1", nonce)}));
  EXPECT_EQ(refusal({proof_with_nonce("p-2", "not-a-nonce")})->code(),
            OAuthErrorCode::use_dpop_nonce);
  // A client without dpop_nonce ignores a nonce it sends.
  client_.dpop_nonce = false;
  EXPECT_TRUE(check({proof_with_nonce("p-3", "anything")}));
}

// A P-256 or RSA key not read yet is not read on a reactor thread: the
// check says so and decides nothing (the jti stays unused); once a worker
// read the key, the reactor checks that key's proofs itself.
TEST_F(DpopCheckTest, AsksForAWorkerToReadANewP256OrRsaKeyOnce) {
  const auto proof = dpop_proof(keys().es256, "p-1");
  const auto on_reactor = [&](const std::string& text) {
    return check_dpop({replays_, nonces_, keys_}, {text}, kDpopTarget, kTenant, client_, kNow,
                      /*may_read_keys=*/false);
  };
  auto checked = on_reactor(proof);
  EXPECT_TRUE(checked.needs_worker);
  EXPECT_FALSE(checked.binding);
  ASSERT_TRUE(check({proof}));  // on the worker: read, kept, and the jti used
  checked = on_reactor(dpop_proof(keys().es256, "p-2"));
  EXPECT_FALSE(checked.needs_worker);
  ASSERT_TRUE(checked.binding);
  EXPECT_EQ(checked.binding->jkt, keys().es256.jwk.thumbprint);
  // An Ed25519 key is read wherever the check runs.
  EXPECT_TRUE(on_reactor(dpop_proof(keys().eddsa, "p-3")).binding);
}

}  // namespace
}  // namespace tessera::grants::test
