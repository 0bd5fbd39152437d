// grants::DpopNonces: stateless server nonces (RFC 9449 §8) that any
// instance with the same master keys accepts, for one client, for five to
// ten minutes.
#include "grants/dpop_nonces.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "crypto/base64url.hpp"

namespace tessera::grants {
namespace {

using std::chrono::seconds;

const domain::TenantId kTenant{7};
const std::string kClient = "cl_client_000000001";
// The start of a window.
const domain::Timestamp kNow{seconds(1'700'000'100)};

crypto::MasterKey master_key(char fill) {
  return crypto::MasterKey::parse(crypto::base64url_encode(std::string(32, fill))).value();
}

crypto::SubKeyRing ring(char current, std::vector<char> previous = {}) {
  std::vector<crypto::NumberedMasterKey> older;
  std::int16_t number = 1;
  for (const char fill : previous)
    older.push_back({domain::MasterKeyId{number++}, master_key(fill)});
  return crypto::MasterKeyRing({domain::MasterKeyId{number}, master_key(current)}, older)
      .derive(crypto::KeyPurpose::dpop_nonce);
}

class DpopNoncesTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
};

TEST_F(DpopNoncesTest, AcceptsItsNonceForThisClientUntilTheWindowAfterNext) {
  const DpopNonces nonces(ring('a'));
  const auto nonce = nonces.issue(kTenant, kClient, kNow);
  EXPECT_EQ(nonce.size(), 32u);  // 24 bytes, base64url
  EXPECT_TRUE(nonces.accepts(nonce, kTenant, kClient, kNow));
  EXPECT_TRUE(nonces.accepts(nonce, kTenant, kClient, kNow + DpopNonces::kWindow));
  EXPECT_TRUE(nonces.accepts(nonce, kTenant, kClient, kNow + 2 * DpopNonces::kWindow - seconds(1)));
  EXPECT_FALSE(nonces.accepts(nonce, kTenant, kClient, kNow + 2 * DpopNonces::kWindow));
  // Not before it was made (a nonce of a later window is none of ours).
  EXPECT_FALSE(nonces.accepts(nonce, kTenant, kClient, kNow - seconds(1)));
  // The same within a window: every instance hands out the same nonce.
  EXPECT_EQ(nonces.issue(kTenant, kClient, kNow + seconds(10)), nonce);
  EXPECT_NE(nonces.issue(kTenant, kClient, kNow + DpopNonces::kWindow), nonce);
}

TEST_F(DpopNoncesTest, IsOneClientsAndOneTenants) {
  const DpopNonces nonces(ring('a'));
  const auto nonce = nonces.issue(kTenant, kClient, kNow);
  EXPECT_FALSE(nonces.accepts(nonce, kTenant, "cl_client_000000002", kNow));
  EXPECT_FALSE(nonces.accepts(nonce, domain::TenantId{8}, kClient, kNow));
  // Tenant 7 + client "1x" and tenant 71 + client "x" hash different input.
  EXPECT_FALSE(nonces.accepts(nonces.issue(domain::TenantId{7}, "1x", kNow), domain::TenantId{71},
                              "x", kNow));
}

TEST_F(DpopNoncesTest, RefusesTamperedAndMadeUpNonces) {
  const DpopNonces nonces(ring('a'));
  const auto nonce = nonces.issue(kTenant, kClient, kNow);
  auto bytes = crypto::base64url_decode(nonce).value();
  bytes.back() ^= 1;
  EXPECT_FALSE(nonces.accepts(crypto::base64url_encode(bytes), kTenant, kClient, kNow));
  // Moved to a later window: the hash covers the window.
  bytes = crypto::base64url_decode(nonce).value();
  bytes[7] += 1;
  EXPECT_FALSE(nonces.accepts(crypto::base64url_encode(bytes), kTenant, kClient,
                              kNow + DpopNonces::kWindow));
  for (const std::string& made_up : std::vector<std::string>{
           "", "made-up", "=====", std::string(100, 'A'), nonce.substr(0, 31), nonce + "A"}) {
    EXPECT_FALSE(nonces.accepts(made_up, kTenant, kClient, kNow)) << made_up;
  }
}

TEST_F(DpopNoncesTest, AnotherMasterKeysNoncesAreAcceptedOnlyWhileItIsConfigured) {
  const DpopNonces before(ring('a'));
  const auto nonce = before.issue(kTenant, kClient, kNow);
  // Rotated: 'b' current, 'a' previous.
  const DpopNonces during(ring('b', {'a'}));
  EXPECT_TRUE(during.accepts(nonce, kTenant, kClient, kNow));
  EXPECT_NE(during.issue(kTenant, kClient, kNow), nonce);
  EXPECT_TRUE(before.accepts(during.issue(kTenant, kClient, kNow), kTenant, kClient, kNow) ==
              false);
  const DpopNonces after(ring('b'));
  EXPECT_FALSE(after.accepts(nonce, kTenant, kClient, kNow));
}

}  // namespace
}  // namespace tessera::grants
