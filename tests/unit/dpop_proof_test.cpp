// grants::verify_dpop_proof (RFC 9449 §4.3) with proofs signed as a client
// would sign them, for each algorithm, and each way a proof can be wrong.
#include "grants/dpop_proof.hpp"

#include <gtest/gtest.h>

#include "dpop_proof_fixture.hpp"

namespace tessera::grants::test {
namespace {

VerifiedProof accepted_proof(const std::string& proof, const DpopTarget& target = kDpopTarget,
                             domain::Timestamp now = kNow) {
  auto result = verify_dpop_proof(proof, target, now);
  if (const auto* reason = std::get_if<std::string>(&result)) {
    ADD_FAILURE() << "refused: " << *reason;
    return {};
  }
  return std::get<VerifiedProof>(std::move(result));
}

// Refused, with a reason that names `why`.
void expect_refused(const std::string& proof, const std::string& why,
                    domain::Timestamp now = kNow) {
  std::variant<VerifiedProof, std::string, KeyNotRead> result;
  ASSERT_NO_THROW(result = verify_dpop_proof(proof, kDpopTarget, now));
  const auto* reason = std::get_if<std::string>(&result);
  ASSERT_NE(reason, nullptr) << "accepted, expected refused for " << why;
  EXPECT_NE(reason->find(why), std::string::npos) << *reason;
}

TEST(DpopProofTest, AcceptsAProofOfEachAlgorithmAndNamesItsKey) {
  for (const auto* key : {&keys().eddsa, &keys().es256, &keys().rs256}) {
    const auto proof = accepted_proof(dpop_proof(*key, "jti-" + key->jwk.kid));
    EXPECT_EQ(proof.jkt, key->jwk.thumbprint) << key->jwk.kid;
    EXPECT_EQ(proof.jkt.size(), 43u);
    EXPECT_EQ(proof.jti, "jti-" + key->jwk.kid);
    EXPECT_EQ(proof.expires_at, kNow + kDpopProofMaxAge);
    EXPECT_EQ(proof.nonce, std::nullopt);
  }
}

TEST(DpopProofTest, ReturnsTheNonceForTheCallerToCheck) {
  auto claims = dpop_claims();
  claims["nonce"] = "n-1";
  EXPECT_EQ(accepted_proof(dpop_proof(keys().eddsa, dpop_header(keys().eddsa), claims)).nonce,
            "n-1");
  claims["nonce"] = 42;  // not a string: a nonce of no server's
  EXPECT_EQ(accepted_proof(dpop_proof(keys().eddsa, dpop_header(keys().eddsa), claims)).nonce, "");
}

TEST(DpopProofTest, AcceptsIatWithinTheWindowOnly) {
  const auto& key = keys().es256;
  const auto proof_at = [&](seconds offset) {
    auto claims = dpop_claims();
    claims["iat"] = at(offset);
    return dpop_proof(key, dpop_header(key), claims);
  };
  accepted_proof(proof_at(-kDpopProofMaxAge + seconds(1)));
  accepted_proof(proof_at(kDpopProofLeeway));
  // At iat + max age an in-process replay guard no longer holds its jti.
  expect_refused(proof_at(-kDpopProofMaxAge), "too old");
  expect_refused(proof_at(kDpopProofLeeway + seconds(1)), "future");
  // A proof made ahead of the server's clock is remembered until it would
  // be too old, not merely a minute from now.
  EXPECT_EQ(accepted_proof(proof_at(seconds(20))).expires_at,
            kNow + seconds(20) + kDpopProofMaxAge);
}

TEST(DpopProofTest, ComparesHtuNormalisedAndWithoutQuery) {
  const auto& key = keys().eddsa;
  for (const std::string& htu :
       std::vector<std::string>{"HTTPS://AUTH.example.com:443/t/acme/token",
                                "https://auth.example.com/t/acme/./token?a=1",
                                "https://auth.example.com/t/acme/token#x"}) {
    auto claims = dpop_claims();
    claims["htu"] = htu;
    accepted_proof(dpop_proof(key, dpop_header(key), claims));
  }
  for (const std::string& htu : std::vector<std::string>{
           "https://auth.example.com/t/acme/oauth/revoke", "https://auth.example.com/t/other/token",
           "http://auth.example.com/t/acme/token", "https://evil.example.com/t/acme/token",
           "https://auth.example.com/t/acme/token/", "/t/acme/token", ""}) {
    auto claims = dpop_claims();
    claims["htu"] = htu;
    expect_refused(dpop_proof(key, dpop_header(key), claims), "htu");
  }
  // Any of the target's URIs.
  const DpopTarget two{"POST", {"https://a.example/token", kTokenEndpoint}};
  accepted_proof(dpop_proof(key), two);
}

TEST(DpopProofTest, RefusesEachWrongPart) {
  const auto& ed = keys().eddsa;
  const auto& ec = keys().es256;
  const auto with_header = [&](const char* name, json value) {
    auto header = dpop_header(ed);
    if (value.is_null()) {
      header.erase(name);
    } else {
      header[name] = std::move(value);
    }
    return dpop_proof(ed, header, dpop_claims());
  };
  const auto with_claim = [&](const char* name, json value) {
    auto claims = dpop_claims();
    if (value.is_null()) {
      claims.erase(name);
    } else {
      claims[name] = std::move(value);
    }
    return dpop_proof(ed, dpop_header(ed), claims);
  };
  expect_refused(with_header("typ", nullptr), "typ");
  expect_refused(with_header("typ", "JWT"), "typ");
  expect_refused(with_header("typ", "at+jwt"), "typ");
  expect_refused(with_header("alg", nullptr), "alg");
  expect_refused(with_header("alg", "none"), "alg");
  expect_refused(with_header("alg", "HS256"), "alg");
  expect_refused(with_header("alg", "ES256"), "alg is not its key's");
  expect_refused(with_header("crit", json::array({"exp"})), "crit");
  expect_refused(with_header("jwk", nullptr), "no jwk");
  expect_refused(with_header("jwk", "a string"), "jwk is refused");
  auto with_private = public_jwk(ed);
  with_private["d"] = crypto::base64url_encode(std::string(32, 'k'));
  expect_refused(with_header("jwk", with_private), "private");
  expect_refused(with_header("jwk", {{"kty", "oct"}, {"k", "c2VjcmV0"}}), "symmetric");
  // Signed by another key than the one in the header.
  expect_refused(dpop_proof(
                     keys().eddsa,
                     [&] {
                       auto header = dpop_header(ed);
                       header["jwk"] = public_jwk(new_ed25519(""));
                       return header;
                     }(),
                     dpop_claims()),
                 "signature");
  // An RSA key in the header, an EC key's signature.
  expect_refused(dpop_proof(ec, dpop_header(keys().rs256), dpop_claims()), "signature");

  expect_refused(with_claim("jti", nullptr), "jti");
  expect_refused(with_claim("jti", ""), "jti");
  expect_refused(with_claim("jti", std::string(257, 'j')), "jti");
  expect_refused(with_claim("jti", "bad\nline"), "jti");
  expect_refused(with_claim("jti", 7), "jti");
  expect_refused(with_claim("htm", nullptr), "htm");
  expect_refused(with_claim("htm", "GET"), "htm");
  expect_refused(with_claim("htm", "post"), "htm");  // methods are case-sensitive
  expect_refused(with_claim("htu", nullptr), "htu");
  expect_refused(with_claim("htu", 1), "htu");
  expect_refused(with_claim("iat", nullptr), "iat");
  expect_refused(with_claim("iat", "1700000000"), "iat");
  expect_refused(with_claim("iat", -1), "iat");
  // Past the year 2262 a time overflows the clock's nanoseconds (found by
  // dpop_proof_fuzzer: UBSan's signed overflow); past 2096 none is meant.
  expect_refused(with_claim("iat", 17100040000), "no iat that is a time");
  expect_refused(with_claim("iat", 4e9), "no iat that is a time");
}

// Verified on a reactor thread: an RSA key a client chose must not cost
// milliseconds. A modulus of 8192 bits (not a real key: refused before any
// signature is checked) or an exponent of 5 bytes is refused for its size.
TEST(DpopProofTest, RefusesRsaKeysPast4096BitsOrWithALongExponent) {
  const auto& rsa = keys().rs256;
  std::string big(1024, '\xff');
  auto header = dpop_header(rsa);
  header["jwk"]["n"] = crypto::base64url_encode(big);
  expect_refused(dpop_proof(rsa, header, dpop_claims()), "at most 4096 bits");
  header = dpop_header(rsa);
  header["jwk"]["e"] = crypto::base64url_encode(std::string("\x01\x00\x00\x00\x01", 5));
  expect_refused(dpop_proof(rsa, header, dpop_claims()), "at most 4096 bits");
  accepted_proof(dpop_proof(rsa, "rsa-2048"));  // the usual key
}

TEST(DpopProofTest, AcceptsTypInAnyCase) {
  auto header = dpop_header(keys().eddsa);
  header["typ"] = "DPoP+JWT";
  accepted_proof(dpop_proof(keys().eddsa, header, dpop_claims()));
}

TEST(DpopProofTest, RefusesWhatIsNoCompactJwsWithoutThrowing) {
  const auto valid = dpop_proof(keys().eddsa);
  for (const std::string& proof :
       {std::string(), std::string("a.b"), std::string("a.b.c.d"), std::string("..."),
        valid.substr(0, valid.rfind('.')), valid + "x", std::string(9000, 'a'),
        crypto::jws_compact(crypto::jws_signing_input("[]", "{}"), "sig"),
        crypto::jws_compact(crypto::jws_signing_input("{}", "null"), "sig")}) {
    EXPECT_NO_THROW({
      const auto result = verify_dpop_proof(proof, kDpopTarget, kNow);
      EXPECT_TRUE(std::holds_alternative<std::string>(result)) << proof.substr(0, 40);
    });
  }
}

// With a DpopKeys, a key is read once and found after; a P-256 or RSA key
// not read yet is left for where reading may take its time.
TEST(DpopProofTest, ReadsEachKeyOnceIntoTheKeysGiven) {
  DpopKeys cache;
  const auto proof = dpop_proof(keys().es256, "p-1");
  EXPECT_TRUE(std::holds_alternative<KeyNotRead>(
      verify_dpop_proof(proof, kDpopTarget, kNow, &cache, /*may_read_keys=*/false)));
  EXPECT_EQ(accepted_proof(proof, kDpopTarget, kNow).jkt, keys().es256.jwk.thumbprint);
  EXPECT_TRUE(std::holds_alternative<VerifiedProof>(
      verify_dpop_proof(proof, kDpopTarget, kNow, &cache, /*may_read_keys=*/true)));
  const auto kept = cache.find(dpop_header(keys().es256)["jwk"].dump());
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->thumbprint, keys().es256.jwk.thumbprint);
  EXPECT_TRUE(std::holds_alternative<VerifiedProof>(
      verify_dpop_proof(proof, kDpopTarget, kNow, &cache, /*may_read_keys=*/false)));
  // A refused key is not kept.
  auto header = dpop_header(keys().es256);
  header["jwk"]["d"] = "AAAA";
  EXPECT_TRUE(std::holds_alternative<std::string>(verify_dpop_proof(
      dpop_proof(keys().es256, header, dpop_claims()), kDpopTarget, kNow, &cache, true)));
  EXPECT_EQ(cache.find(header["jwk"].dump()), nullptr);
}

TEST(DpopKeysTest, ForgetsEverythingWhenFull) {
  DpopKeys cache(2);
  const auto jwk_of = [](const ClientKey& key) { return public_jwk(key); };
  for (const auto* key : {&keys().eddsa, &keys().es256}) {
    const auto jwk = jwk_of(*key);
    ASSERT_TRUE(std::holds_alternative<DpopKeys::Key>(cache.read(jwk.dump(), jwk)));
  }
  EXPECT_NE(cache.find(jwk_of(keys().eddsa).dump()), nullptr);
  const auto third = jwk_of(keys().rs256);
  ASSERT_TRUE(std::holds_alternative<DpopKeys::Key>(cache.read(third.dump(), third)));
  EXPECT_EQ(cache.find(jwk_of(keys().eddsa).dump()), nullptr);
  EXPECT_NE(cache.find(third.dump()), nullptr);
}

}  // namespace
}  // namespace tessera::grants::test
