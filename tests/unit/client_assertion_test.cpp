// private_key_jwt client assertions (RFC 7523 §2.2, §3; RFC 7521 §4.2):
// what grants/client_assertion.hpp accepts and refuses. Assertions are built
// and signed here, with libsodium and the keys' private halves, as a client
// would; every refusal must be a reason, never an exception.
#include "grants/client_assertion.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <vector>

#include "client_assertion_fixture.hpp"
#include "crypto/jws.hpp"

namespace tessera::grants {
namespace {

using namespace test;
using nlohmann::json;
using std::chrono::seconds;

// --- accepted -----------------------------------------------------------------

TEST(ClientAssertionTest, AcceptsAnAssertionSignedWithEachAlgorithm) {
  struct Case {
    const char* alg;
    const ClientKey* key;
    const char* kid;
  };
  for (const auto& c : {Case{"EdDSA", &keys().eddsa, "ed-1"}, Case{"ES256", &keys().es256, "ec-1"},
                        Case{"RS256", &keys().rs256, "rsa-1"}}) {
    SCOPED_TRACE(c.alg);
    const auto claims = with(valid_claims(), "jti", std::string("jti-") + c.alg);
    const auto verified = accepted(assertion(header_for(c.alg, c.kid), claims, *c.key));
    EXPECT_EQ(verified.jti, std::string("jti-") + c.alg);
    // Remembered for as long as the assertion could still be accepted:
    // its exp plus the leeway.
    EXPECT_EQ(verified.expires_at, kNow + seconds(60) + kAssertionLeeway);
  }
}

TEST(ClientAssertionTest, AcceptsAnAssertionWithoutKidCheckedAgainstEveryKeyOfItsAlg) {
  const auto verified = accepted(assertion(header_for("ES256"), valid_claims(), keys().es256));
  EXPECT_EQ(verified.jti, "jti-1");
}

TEST(ClientAssertionTest, AcceptsAnAudienceArrayThatHoldsTheIssuer) {
  const auto claims =
      with(valid_claims(), "aud", json::array({"https://elsewhere.example", 5, kIssuer}));
  EXPECT_EQ(accepted(ed_assertion(claims)).jti, "jti-1");
}

TEST(ClientAssertionTest, AcceptsAnExpJustPastWithinTheLeeway) {
  const auto claims = with(valid_claims(), "exp", at(seconds(-29)));
  EXPECT_EQ(accepted(ed_assertion(claims)).expires_at, kNow + seconds(1));
}

TEST(ClientAssertionTest, AcceptsAnExpFiveMinutesAndTheLeewayAhead) {
  const auto ahead = kMaxAssertionLifetime + kAssertionLeeway;
  const auto claims = with(valid_claims(), "exp", at(ahead));
  EXPECT_EQ(accepted(ed_assertion(claims)).expires_at, kNow + ahead + kAssertionLeeway);
}

TEST(ClientAssertionTest, AcceptsNbfAndIatUpToTheLeewayAhead) {
  auto claims = valid_claims();
  claims["nbf"] = at(kAssertionLeeway);
  claims["iat"] = at(kAssertionLeeway);
  EXPECT_EQ(accepted(ed_assertion(claims)).jti, "jti-1");
}

TEST(ClientAssertionTest, AcceptsAJtiOf256Characters) {
  const auto claims = with(valid_claims(), "jti", std::string(256, 'j'));
  EXPECT_EQ(accepted(ed_assertion(claims)).jti, std::string(256, 'j'));
}

// --- refused: algorithm, key and signature ------------------------------------

TEST(ClientAssertionTest, RefusesAlgNoneWithAnEmptySignature) {
  // RFC 8725 §2.1: an unsecured JWT is never a client's proof.
  const auto input =
      crypto::jws_signing_input(R"({"alg":"none","typ":"JWT"})", valid_claims().dump());
  expect_refused(input + ".");
  expect_refused(input);
}

TEST(ClientAssertionTest, RefusesAlgHs256KeyedWithThePublicJwk) {
  // The classic confusion (RFC 8725 §2.1): an attacker who knows the public
  // key "signs" with HMAC keyed by it; a verifier that takes alg from the
  // header and the key as bytes would accept.
  const auto& public_jwk = keys().rs256.jwk;
  for (const auto& secret :
       {public_jwk.members.dump(), keys().eddsa.jwk.members.dump(), keys().eddsa.jwk.ed25519}) {
    ClientKey hmac{
        public_jwk, [secret](const std::string& input) {
          std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
          crypto_auth_hmacsha256_state state;
          crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                                      secret.size());
          crypto_auth_hmacsha256_update(
              &state, reinterpret_cast<const unsigned char*>(input.data()), input.size());
          crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
          return mac;
        }};
    expect_refused(assertion(header_for("HS256"), valid_claims(), hmac));
    expect_refused(assertion(header_for("HS256", "rsa-1"), valid_claims(), hmac));
  }
}

TEST(ClientAssertionTest, RefusesAnAlgOtherThanEdDsaEs256OrRs256) {
  for (const char* alg : {"PS256", "ES384", "RS512", "eddsa", "", "ES256K"}) {
    SCOPED_TRACE(alg);
    expect_refused(assertion(header_for(alg), valid_claims(), keys().eddsa));
  }
  expect_refused(assertion({{"typ", "JWT"}}, valid_claims(), keys().eddsa));
  expect_refused(assertion({{"alg", 1}}, valid_claims(), keys().eddsa));
}

TEST(ClientAssertionTest, RefusesAnAlgOfAnotherKeyType) {
  // Signed by the Ed25519 key, labelled with another key's algorithm.
  expect_refused(assertion(header_for("ES256"), valid_claims(), keys().eddsa));
  expect_refused(assertion(header_for("RS256", "ed-1"), valid_claims(), keys().eddsa));
  expect_refused(assertion(header_for("EdDSA"), valid_claims(), keys().es256));
  expect_refused(assertion(header_for("ES256", "rsa-1"), valid_claims(), keys().rs256));
}

TEST(ClientAssertionTest, RefusesAKidThatNamesNoKeyOfTheClient) {
  expect_refused(assertion(header_for("EdDSA", "nobody"), valid_claims(), keys().eddsa));
  // Naming another of the client's keys is naming the wrong one.
  expect_refused(assertion(header_for("EdDSA", "ec-1"), valid_claims(), keys().eddsa));
}

TEST(ClientAssertionTest, RefusesAKidThatIsNotAString) {
  json header = header_for("EdDSA");
  header["kid"] = 1;
  expect_refused(assertion(header, valid_claims(), keys().eddsa));
}

TEST(ClientAssertionTest, RefusesASignatureByAKeyTheClientDidNotRegister) {
  const auto stranger = new_ed25519("ed-1");
  expect_refused(assertion(header_for("EdDSA", "ed-1"), valid_claims(), stranger));
  expect_refused(assertion(header_for("EdDSA"), valid_claims(), stranger));
  const auto other_ec = new_pkey(domain::SigningAlg::es256, "ec-1");
  expect_refused(assertion(header_for("ES256", "ec-1"), valid_claims(), other_ec));
}

TEST(ClientAssertionTest, RefusesAnAssertionWhenTheClientHasNoKeys) {
  const auto text = ed_assertion(valid_claims());
  const auto result = verify_client_assertion(text, kClient, {}, kAudiences, kNow);
  EXPECT_TRUE(std::holds_alternative<std::string>(result));
}

TEST(ClientAssertionTest, RefusesAnAlteredPayloadOrSignature) {
  const auto good = ed_assertion(valid_claims());
  const auto second_dot = good.rfind('.');
  // The same signature over other claims.
  const auto other_input = crypto::jws_signing_input(header_for("EdDSA", "ed-1").dump(),
                                                     with(valid_claims(), "sub", "x").dump());
  expect_refused(other_input + good.substr(second_dot));
  // A signature with one bit changed.
  auto signature = *crypto::base64url_decode(good.substr(second_dot + 1));
  signature[3] = static_cast<char>(signature[3] ^ 0x01);
  expect_refused(crypto::jws_compact(good.substr(0, second_dot), signature));
}

TEST(ClientAssertionTest, RefusesACritHeader) {
  // RFC 7515 §4.1.11: extensions we do not understand must not be ignored.
  json header = header_for("EdDSA", "ed-1");
  header["crit"] = json::array({"exp"});
  expect_refused(assertion(header, valid_claims(), keys().eddsa));
}

// --- refused: claims -----------------------------------------------------------

struct ClaimsCase {
  std::string name;
  json claims;
};

TEST(ClientAssertionTest, RefusesClaimsThatDoNotHoldUp) {
  const auto claims = valid_claims();
  const std::vector<ClaimsCase> cases = {
      {"iss another client", with(claims, "iss", "client-2")},
      {"iss missing", without(claims, "iss")},
      {"iss not a string", with(claims, "iss", 1)},
      {"sub another client", with(claims, "sub", "client-2")},
      {"sub missing", without(claims, "sub")},
      {"iss and sub another client", with(with(claims, "iss", "c2"), "sub", "c2")},
      {"aud missing", without(claims, "aud")},
      {"aud wrong", with(claims, "aud", "https://elsewhere.example/token")},
      {"aud a prefix", with(claims, "aud", kIssuer + "/")},
      {"aud an array without a match", with(claims, "aud", json::array({"a", "b"}))},
      {"aud an empty array", with(claims, "aud", json::array())},
      {"aud an object", with(claims, "aud", json{{"aud", kIssuer}})},
      {"aud nested", with(claims, "aud", json::array({json::array({kIssuer})}))},
      {"exp missing", without(claims, "exp")},
      {"exp a string", with(claims, "exp", std::to_string(at(seconds(60))))},
      {"exp null", with(claims, "exp", nullptr)},
      {"exp negative", with(claims, "exp", -1)},
      {"exp huge", with(claims, "exp", 1e300)},
      // Past 2262 the clock's nanoseconds overflow (UB, found by fuzzing).
      {"exp past the year 2262", with(claims, "exp", 17100040000)},
      {"exp past the leeway", with(claims, "exp", at(-kAssertionLeeway))},
      {"exp long past", with(claims, "exp", at(seconds(-3600)))},
      {"exp beyond five minutes and the leeway",
       with(claims, "exp", at(kMaxAssertionLifetime + kAssertionLeeway + seconds(1)))},
      {"exp a day ahead", with(claims, "exp", at(seconds(86400)))},
      {"nbf in the future", with(claims, "nbf", at(kAssertionLeeway + seconds(1)))},
      {"nbf a string", with(claims, "nbf", "0")},
      {"iat in the future", with(claims, "iat", at(kAssertionLeeway + seconds(1)))},
      {"iat null", with(claims, "iat", nullptr)},
      {"jti missing", without(claims, "jti")},
      {"jti empty", with(claims, "jti", "")},
      {"jti a number", with(claims, "jti", 1)},
      {"jti of 257 characters", with(claims, "jti", std::string(257, 'j'))},
      {"jti with a control character", with(claims, "jti", std::string("j\x01", 2))},
      {"jti with a NUL", with(claims, "jti", std::string("j\0k", 3))},
      {"jti with a newline", with(claims, "jti", "j\nk")},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    expect_refused(ed_assertion(c.claims));
  }
}

// --- refused: not an assertion --------------------------------------------------

TEST(ClientAssertionTest, RefusesAHeaderOrPayloadThatIsNotAnObject) {
  const auto& key = keys().eddsa;
  const auto header = header_for("EdDSA", "ed-1").dump();
  const auto claims = valid_claims().dump();
  expect_refused(signed_text("[" + header + "]", claims, key));
  expect_refused(signed_text(R"("EdDSA")", claims, key));
  expect_refused(signed_text("not json", claims, key));
  expect_refused(signed_text(header, "[" + claims + "]", key));
  expect_refused(signed_text(header, "null", key));
  expect_refused(signed_text(header, "", key));
  expect_refused(signed_text(header, claims + "garbage", key));
}

TEST(ClientAssertionTest, RefusesAnAssertionOver16KiBEvenWhenSigned) {
  const auto claims = with(valid_claims(), "pad", std::string(16 * 1024, 'p'));
  const auto text = ed_assertion(claims);
  ASSERT_GT(text.size(), 16u * 1024);
  expect_refused(text);
  EXPECT_EQ(assertion_client_id(text), std::nullopt);
}

TEST(ClientAssertionTest, RefusesGarbageThatIsNotACompactJws) {
  const auto good = ed_assertion(valid_claims());
  for (const std::string& text :
       {std::string(), std::string("."), std::string(".."), std::string("..."), std::string("abc"),
        std::string("a.b"), std::string("a.b.c.d"), std::string("!!!.!!!.!!!"), good + ".",
        "." + good, good + "=", good + "\n", " " + good, std::string(20000, 'A')}) {
    SCOPED_TRACE(text.substr(0, 40));
    expect_refused(text);
  }
}

// --- assertion_client_id -------------------------------------------------------

TEST(ClientAssertionTest, ReadsTheClientIdFromIssWithoutVerifying) {
  EXPECT_EQ(assertion_client_id(ed_assertion(valid_claims())), kClient);
  // Only to find the keys to verify with: an alg of none and a signature
  // that is no signature still name the client the assertion claims to be.
  const auto input = crypto::jws_signing_input(R"({"alg":"none"})",
                                               with(valid_claims(), "iss", "client-9").dump());
  EXPECT_EQ(assertion_client_id(crypto::jws_compact(input, "not a signature")), "client-9");
}

TEST(ClientAssertionTest, ReadsNoClientIdFromGarbageOrANonStringIss) {
  EXPECT_EQ(assertion_client_id(""), std::nullopt);
  EXPECT_EQ(assertion_client_id("abc"), std::nullopt);
  EXPECT_EQ(assertion_client_id("a.b.c"), std::nullopt);
  const auto header = header_for("EdDSA").dump();
  for (const json& iss : {json(1), json(nullptr), json::array({kClient}), json{{"id", kClient}}}) {
    SCOPED_TRACE(iss.dump());
    EXPECT_EQ(assertion_client_id(ed_assertion(with(valid_claims(), "iss", iss))), std::nullopt);
  }
  EXPECT_EQ(assertion_client_id(ed_assertion(without(valid_claims(), "iss"))), std::nullopt);
  EXPECT_EQ(assertion_client_id(signed_text(header, "[1]", keys().eddsa)), std::nullopt);
}

}  // namespace
}  // namespace tessera::grants
