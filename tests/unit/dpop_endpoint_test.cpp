// DPoP at the token endpoint (endpoints/token_endpoint): a proof binds the
// token (token_type DPoP, cnf.jkt in the record, the JWT and introspection),
// is checked once even when the request goes on at a worker, is checked
// after the other checks, and the client's dpop settings apply.
#include <gtest/gtest.h>

#include "crypto/jws.hpp"
#include "dpop_proof_fixture.hpp"
#include "public_endpoints_fixture.hpp"

namespace tessera::endpoints::test {
namespace {

namespace fixture = grants::test;

class DpopEndpointTest : public PublicEndpointsTest {
 protected:
  static constexpr const char* kTokenUrl = "https://auth.example.test/t/acme/oauth/token";

  // A proof by the fixture's Ed25519 key for a POST to `htu`, made now.
  std::string proof(const std::string& jti, const std::string& htu = kTokenUrl,
                    std::optional<std::string> nonce = std::nullopt) {
    const auto& key = fixture::keys().eddsa;
    nlohmann::json claims = {
        {"jti", jti},
        {"htm", "POST"},
        {"htu", htu},
        {"iat", std::chrono::duration_cast<seconds>(clock_.now().time_since_epoch()).count()}};
    if (nonce) claims["nonce"] = *nonce;
    return fixture::dpop_proof(key, fixture::dpop_header(key), claims);
  }

  Trace request_with(const TestClient& client, const std::string& dpop,
                     const std::string& extra = "",
                     const std::string& path = "/t/acme/oauth/token") {
    return send(post(path, "grant_type=client_credentials" + extra,
                     {{"authorization", basic(client)}, {"dpop", dpop}}));
  }

  domain::Client& settings(const TestClient& client) {
    return store_.clients.at({kTenant.value, client.id}).client;
  }

  const std::string jkt_ = fixture::keys().eddsa.jwk.thumbprint;
};

TEST_F(DpopEndpointTest, AProofBindsTheTokenToItsKey) {
  const auto trace = request_with(reader_, proof("p-1"));
  ASSERT_EQ(trace.response.status, 200) << trace.response.body;
  EXPECT_EQ(trace.json().value("token_type", ""), "DPoP");
  ASSERT_TRUE(trace.record);
  EXPECT_EQ(trace.record->dpop_jkt, jkt_);
  EXPECT_EQ(trace.record->dpop_proof_jti, "p-1");
  EXPECT_EQ(trace.record->dpop_proof_expires_at, clock_.now() + grants::kDpopProofMaxAge);
  const auto described = introspect(trace.json().value("access_token", ""), introspector_).json();
  EXPECT_EQ(described.value("active", false), true);
  EXPECT_EQ(described.value("token_type", ""), "DPoP");
  EXPECT_EQ(described["cnf"], nlohmann::json({{"jkt", jkt_}}));

  // Without a proof: Bearer, and nothing of DPoP recorded or described.
  const auto bearer = send(token_request(reader_));
  ASSERT_EQ(bearer.response.status, 200);
  EXPECT_EQ(bearer.json().value("token_type", ""), "Bearer");
  EXPECT_TRUE(bearer.record->dpop_jkt.empty());
  EXPECT_TRUE(bearer.record->dpop_proof_jti.empty());
  const auto plain = introspect(bearer.json().value("access_token", ""), introspector_).json();
  EXPECT_EQ(plain.value("token_type", ""), "Bearer");
  EXPECT_FALSE(plain.contains("cnf"));
}

// An RS256 JWT is signed on a worker: the request goes on there, and the
// proof, already checked (and its jti used), is not checked again.
TEST_F(DpopEndpointTest, AProofIsCheckedOnceWhenTheTokenIsSignedOnAWorker) {
  const auto trace = request_with(reader_, proof("p-rs"), "&audience=https://rs256.acme.test");
  ASSERT_EQ(trace.response.status, 200) << trace.response.body;
  EXPECT_EQ(trace.stages, std::vector<Stage>{Stage::worker});
  const auto token = trace.json().value("access_token", "");
  const auto parts = crypto::jws_split(token);
  ASSERT_TRUE(parts);
  EXPECT_EQ(nlohmann::json::parse(parts->payload_json)["cnf"], nlohmann::json({{"jkt", jkt_}}));
  EXPECT_EQ(introspect(token, introspector_).json()["cnf"], nlohmann::json({{"jkt", jkt_}}));
}

// The first proof of a P-256 key goes on at a worker, which reads the key
// (about 0.3 ms); the key is kept, so the next proofs stay on the reactor.
TEST_F(DpopEndpointTest, ANewP256KeyIsReadOnAWorkerOnce) {
  const auto& key = fixture::keys().es256;
  const auto es256_proof = [&](const std::string& jti) {
    auto claims = nlohmann::json::parse(fixture::dpop_claims(jti).dump());
    claims["htu"] = kTokenUrl;
    claims["iat"] = std::chrono::duration_cast<seconds>(clock_.now().time_since_epoch()).count();
    return fixture::dpop_proof(key, fixture::dpop_header(key), claims);
  };
  const auto first = request_with(reader_, es256_proof("p-1"));
  ASSERT_EQ(first.response.status, 200) << first.response.body;
  EXPECT_EQ(first.stages, std::vector<Stage>{Stage::worker});
  EXPECT_EQ(first.record->dpop_jkt, key.jwk.thumbprint);
  const auto second = request_with(reader_, es256_proof("p-2"));
  ASSERT_EQ(second.response.status, 200) << second.response.body;
  EXPECT_TRUE(second.stages.empty());
  // Ed25519 keys are read on the reactor from the first proof.
  EXPECT_TRUE(request_with(reader_, proof("p-3")).stages.empty());
}

TEST_F(DpopEndpointTest, AProofIsAcceptedOnce) {
  const auto dpop = proof("p-1");
  ASSERT_EQ(request_with(reader_, dpop).response.status, 200);
  const auto again = request_with(reader_, dpop);
  EXPECT_EQ(again.response.status, 400);
  EXPECT_EQ(again.error(), "invalid_dpop_proof");
  EXPECT_EQ(again.header("Cache-Control"), "no-store");
}

// htu names the URL the request was sent to, under TESSERA_ISSUER_BASE:
// each alias is its own URL.
TEST_F(DpopEndpointTest, HtuIsTheAliasTheRequestWentTo) {
  const std::string alias = "https://auth.example.test/t/acme/token";
  EXPECT_EQ(request_with(reader_, proof("p-1", alias), "", "/t/acme/token").response.status, 200);
  const auto other = request_with(reader_, proof("p-2", kTokenUrl), "", "/t/acme/token");
  EXPECT_EQ(other.response.status, 400);
  EXPECT_EQ(other.error(), "invalid_dpop_proof");
}

// The proof comes after the numbered checks: 3-6 answer before it is looked at, and a
// request refused by them does not use the proof's jti.
TEST_F(DpopEndpointTest, TheProofIsCheckedAfterChecksThreeToSix) {
  const auto dpop = proof("p-1");
  const auto trace =
      send(post("/t/acme/oauth/token", "grant_type=client_credentials",
                {{"authorization", basic(reader_, "not-the-secret-of-reader")}, {"dpop", dpop}}));
  EXPECT_EQ(trace.response.status, 401);
  EXPECT_EQ(request_with(reader_, dpop, "&scope=write").error(), "invalid_scope");
  EXPECT_EQ(request_with(reader_, dpop, "&audience=https://nowhere.test").error(),
            "invalid_target");
  EXPECT_EQ(request_with(reader_, dpop).response.status, 200);
  EXPECT_EQ(request_with(reader_, "not a proof").error(), "invalid_dpop_proof");
  EXPECT_EQ(request_with(reader_, "not a proof", "&scope=write").error(), "invalid_scope");

  settings(reader_).dpop = domain::DpopMode::required;
  directory_.clear();
  EXPECT_EQ(
      send(post("/t/acme/oauth/token", "grant_type=password", {{"authorization", basic(reader_)}}))
          .error(),
      "unsupported_grant_type");
}

TEST_F(DpopEndpointTest, TwoDpopHeadersAreRefused) {
  const auto trace = send(
      post("/t/acme/oauth/token", "grant_type=client_credentials",
           {{"authorization", basic(reader_)}, {"dpop", proof("p-1")}, {"dpop", proof("p-2")}}));
  EXPECT_EQ(trace.response.status, 400);
  EXPECT_EQ(trace.error(), "invalid_dpop_proof");
  EXPECT_NE(trace.json().value("error_description", "").find("one DPoP header"), std::string::npos)
      << trace.response.body;
}

TEST_F(DpopEndpointTest, TheClientsSettingsApply) {
  settings(reader_).dpop = domain::DpopMode::required;
  directory_.clear();
  const auto missing = send(token_request(reader_));
  EXPECT_EQ(missing.response.status, 400);
  EXPECT_EQ(missing.error(), "invalid_dpop_proof");
  EXPECT_EQ(request_with(reader_, proof("p-1")).response.status, 200);

  settings(reader_).dpop = domain::DpopMode::off;
  directory_.clear();
  EXPECT_EQ(request_with(reader_, proof("p-2")).error(), "invalid_dpop_proof");
  EXPECT_EQ(send(token_request(reader_)).json().value("token_type", ""), "Bearer");
}

TEST_F(DpopEndpointTest, TheNonceFlow) {
  settings(reader_).dpop_nonce = true;
  directory_.clear();
  const auto asked = request_with(reader_, proof("p-1"));
  EXPECT_EQ(asked.response.status, 400);
  EXPECT_EQ(asked.error(), "use_dpop_nonce");
  const auto nonce = asked.header("DPoP-Nonce");
  ASSERT_FALSE(nonce.empty());
  const auto given = request_with(reader_, proof("p-1", kTokenUrl, nonce));
  ASSERT_EQ(given.response.status, 200) << given.response.body;
  EXPECT_EQ(given.json().value("token_type", ""), "DPoP");
  EXPECT_EQ(given.header("DPoP-Nonce"), nonce);  // the same window: the same nonce
  // A client without dpop_nonce gets no DPoP-Nonce header.
  EXPECT_EQ(request_with(other_, proof("p-3")).header("DPoP-Nonce"), "");
}

}  // namespace
}  // namespace tessera::endpoints::test
