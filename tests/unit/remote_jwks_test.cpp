// The keys clients publish at their jwks_uri (grants/remote_jwks): kept for
// a while once fetched, a failed fetch remembered briefly so that a dead or
// hostile URI is not fetched on every request, and only public signing keys
// read from the document.
#include "grants/remote_jwks.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "crypto/base64url.hpp"

namespace tessera::grants {
namespace {

using std::chrono::seconds;

nlohmann::json ed25519_jwk(const std::string& kid) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  return {{"kty", "OKP"},
          {"crv", "Ed25519"},
          {"kid", kid},
          {"x", crypto::base64url_encode(
                    std::string_view(reinterpret_cast<const char*>(pk), sizeof pk))}};
}

struct FakeFetch {
  std::optional<std::string> document;
  int calls = 0;
};

TEST(RemoteJwksTest, KeepsAFetchedSetUntilItIsStale) {
  FakeFetch fake{nlohmann::json{{"keys", {ed25519_jwk("a"), ed25519_jwk("b")}}}.dump()};
  RemoteJwks jwks([&](const std::string&) {
    ++fake.calls;
    return fake.document;
  });
  const domain::Timestamp t0{seconds(1'000'000)};
  const std::string uri = "https://keys.example.com/jwks.json";
  EXPECT_EQ(jwks.cached(uri, t0), nullptr);
  const auto keys = jwks.fetch(uri, t0);
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[1].kid, "b");
  EXPECT_EQ(jwks.cached(uri, t0 + seconds(299)), keys);
  EXPECT_EQ(jwks.cached(uri, t0 + seconds(300)), nullptr);  // five minutes
  EXPECT_EQ(fake.calls, 1);
  // Another client's URI is another entry.
  EXPECT_EQ(jwks.cached("https://other.example.com/jwks.json", t0), nullptr);
}

TEST(RemoteJwksTest, AFailedFetchIsRememberedAsNoKeysForThirtySeconds) {
  FakeFetch fake{std::nullopt};
  RemoteJwks jwks([&](const std::string&) {
    ++fake.calls;
    return fake.document;
  });
  const domain::Timestamp t0{seconds(1'000'000)};
  const std::string uri = "https://down.example.com/jwks.json";
  EXPECT_TRUE(jwks.fetch(uri, t0)->empty());
  ASSERT_NE(jwks.cached(uri, t0 + seconds(29)), nullptr);
  EXPECT_TRUE(jwks.cached(uri, t0 + seconds(29))->empty());
  EXPECT_FALSE(jwks.may_refetch(uri, t0 + seconds(29)));
  EXPECT_EQ(jwks.cached(uri, t0 + seconds(30)), nullptr);
  EXPECT_TRUE(jwks.may_refetch(uri, t0 + seconds(30)));
  EXPECT_EQ(fake.calls, 1);
}

TEST(RemoteJwksTest, ASetThatDidNotVerifyMayBeFetchedAgainEveryThirtySeconds) {
  FakeFetch fake{nlohmann::json{{"keys", {ed25519_jwk("a")}}}.dump()};
  RemoteJwks jwks([&](const std::string&) { return fake.document; });
  const domain::Timestamp t0{seconds(1'000'000)};
  const std::string uri = "https://keys.example.com/jwks.json";
  EXPECT_TRUE(jwks.may_refetch(uri, t0));  // never fetched
  jwks.fetch(uri, t0);
  EXPECT_FALSE(jwks.may_refetch(uri, t0 + seconds(10)));
  EXPECT_TRUE(jwks.may_refetch(uri, t0 + seconds(30)));
}

TEST(RemoteJwksTest, OneFetchAtATimeAndAtMostOneEveryThirtySeconds) {
  // Requests that need the keys while they are being fetched, or just after,
  // fetch nothing: a burst (or a stranger's burst of bad assertions) costs
  // one outbound fetch, not one per request on the shared workers.
  const auto document = nlohmann::json{{"keys", {ed25519_jwk("a")}}}.dump();
  const domain::Timestamp t0{seconds(1'000'000)};
  const std::string uri = "https://keys.example.com/jwks.json";
  int calls = 0;
  RemoteJwks::Keys seen_meanwhile;
  RemoteJwks* self = nullptr;
  RemoteJwks jwks([&](const std::string&) -> std::optional<std::string> {
    ++calls;
    // Another request arrives while this fetch is under way.
    seen_meanwhile = self->fetch(uri, t0);
    EXPECT_FALSE(self->may_refetch(uri, t0 + seconds(60)));
    return document;
  });
  self = &jwks;
  const auto keys = jwks.fetch(uri, t0);
  EXPECT_EQ(calls, 1);
  ASSERT_NE(seen_meanwhile, nullptr);
  EXPECT_TRUE(seen_meanwhile->empty());  // nothing kept yet: no keys, no second fetch
  ASSERT_EQ(keys->size(), 1u);
  // Just fetched: the kept keys, without a fetch.
  EXPECT_EQ(jwks.fetch(uri, t0 + seconds(10)), keys);
  EXPECT_EQ(calls, 1);
  // Stale after five minutes, and fetched again; while that fetch runs the
  // stale keys are what others get.
  EXPECT_EQ(jwks.cached(uri, t0 + seconds(300)), nullptr);
  jwks.fetch(uri, t0 + seconds(300));
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(seen_meanwhile, keys);
}

TEST(RemoteJwksTest, ReadsOnlyPublicSigningKeysAndAtMostTwenty) {
  auto private_key = ed25519_jwk("private");
  private_key["d"] = private_key["x"];
  nlohmann::json keys = nlohmann::json::array({ed25519_jwk("good"),
                                               private_key,
                                               {{"kty", "oct"}, {"k", "c2VjcmV0"}},
                                               "not a key",
                                               {{"kty", "OKP"}, {"crv", "X25519"}, {"x", "AAAA"}}});
  const auto read = RemoteJwks::read_jwk_set(nlohmann::json{{"keys", keys}}.dump());
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].kid, "good");

  nlohmann::json many = nlohmann::json::array();
  for (int i = 0; i < 25; ++i) many.push_back(ed25519_jwk("k" + std::to_string(i)));
  EXPECT_EQ(RemoteJwks::read_jwk_set(nlohmann::json{{"keys", many}}.dump()).size(), 20u);

  for (const char* document : {"", "[]", "{}", R"({"keys":{}})", "not json", "null"}) {
    EXPECT_TRUE(RemoteJwks::read_jwk_set(document).empty()) << document;
  }
}

}  // namespace
}  // namespace tessera::grants
