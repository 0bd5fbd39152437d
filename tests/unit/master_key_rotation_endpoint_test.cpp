// The public endpoints during a master-key rotation (docs/operations.md,
// "Rotating the master key"): master key 2 is current, master key 1 is in
// TESSERA_PREVIOUS_MASTER_KEYS. What the previous key made still verifies
// and a client secret it made is stored again under the current one; what
// is made now records the current key.
#include <gtest/gtest.h>

#include "public_endpoints_fixture.hpp"
#include "tokens/opaque_token.hpp"

namespace tessera::endpoints::test {
namespace {

constexpr domain::MasterKeyId kPreviousKey{1};
constexpr domain::MasterKeyId kCurrentKey{2};

class MasterKeyRotationTest : public PublicEndpointsTest {
 protected:
  MasterKeyRotationTest()
      : PublicEndpointsTest(crypto::MasterKeyRing({kCurrentKey, master_key_of('n')},
                                                  {{kPreviousKey, master_key_of('m')}})) {}

  static crypto::SubKey previous(crypto::KeyPurpose purpose) {
    return master_key_of('m').derive(purpose);
  }

  // A client whose generated secret was stored under the previous master key.
  TestClient add_client_under_previous_key(const std::string& id) {
    const TestClient client = add_client(id, {{11, {"read"}}});
    auto& secret = store_.clients.at({kTenant.value, id}).secrets.at(0);
    secret.keyed_hash =
        crypto::keyed_hash(previous(crypto::KeyPurpose::client_secret_hash), client.secret);
    secret.master_key = kPreviousKey;
    return client;
  }

  // An opaque token of reader_ for the default API, valid for an hour, its
  // hash made by `hash_key` and its record naming master key `named`: as a
  // token issued before the rotation is recorded.
  std::string recorded_token(const crypto::SubKey& hash_key, domain::MasterKeyId named) {
    const auto token = tokens::mint_opaque_token(hash_key, crypto::uuid7(clock_.now()));
    store::TokenStatus status;
    status.client_id = reader_.id;
    status.api = domain::ApiId{11};
    status.scope = "read";
    status.format = domain::TokenFormat::opaque;
    status.token_hash = token.hash;
    status.master_key = named;
    status.issued_at = clock_.now();
    status.expires_at = clock_.now() + seconds(3600);
    store_.statuses[{kTenant.value, crypto::uuid_text(token.id)}] = status;
    return token.value;
  }

  static bool active(const Trace& trace) {
    EXPECT_EQ(trace.response.status, 200) << trace.response.body;
    return trace.response.status == 200 && trace.json().value("active", false);
  }
};

TEST_F(MasterKeyRotationTest, ASecretUnderThePreviousKeyIsAcceptedAndStoredAgainUnderTheCurrent) {
  const auto client = add_client_under_previous_key("cl_before_rotation_01");
  const auto secret_id = store_.clients.at({kTenant.value, client.id}).secrets.at(0).id;

  const auto trace = send(token_request(client));
  ASSERT_EQ(trace.response.status, 200) << trace.response.body;
  ASSERT_EQ(store_.rehashed.size(), 1u);
  const auto& [client_id, rehashed_secret, rehash] = store_.rehashed.at(0);
  EXPECT_EQ(client_id, client.id);
  EXPECT_EQ(rehashed_secret, secret_id.value);
  EXPECT_EQ(rehash.from, kPreviousKey);
  EXPECT_EQ(rehash.to, kCurrentKey);
  EXPECT_EQ(rehash.keyed_hash, crypto::keyed_hash(secret_key_, client.secret));
}

TEST_F(MasterKeyRotationTest, ASecretUnderTheCurrentKeyIsAcceptedWithoutARehash) {
  const auto trace = send(token_request(reader_));
  ASSERT_EQ(trace.response.status, 200) << trace.response.body;
  EXPECT_TRUE(store_.rehashed.empty());
}

// A wrong secret must not be "rehashed" into the store: that would replace
// the client's secret with the presented one.
TEST_F(MasterKeyRotationTest, AWrongSecretUnderThePreviousKeyIsRefusedWithoutARehash) {
  const auto client = add_client_under_previous_key("cl_before_rotation_01");
  const auto trace =
      send(post("/t/acme/oauth/token", "grant_type=client_credentials",
                {{"authorization", basic(client, "not-the-secret-of-this-client")}}));
  EXPECT_EQ(trace.response.status, 401) << trace.response.body;
  EXPECT_TRUE(store_.rehashed.empty());
}

TEST_F(MasterKeyRotationTest, IssuedTokensRecordTheCurrentKeyAndHashWithIt) {
  const auto trace = send(token_request(reader_));
  ASSERT_EQ(trace.response.status, 200) << trace.response.body;
  ASSERT_TRUE(trace.record.has_value());
  EXPECT_EQ(trace.record->master_key, kCurrentKey);
  const auto parts = tokens::parse_opaque_token(trace.json().value("access_token", ""));
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(trace.record->token_hash,
            tokens::opaque_token_hash(derive(crypto::KeyPurpose::token_hash), parts->secret));
  EXPECT_TRUE(active(introspect(trace.json().value("access_token", ""), introspector_)));
}

// Signing keys made now are sealed under the current key and open with it.
TEST_F(MasterKeyRotationTest, JwtsAreSignedWithKeysSealedUnderTheCurrentKey) {
  for (const auto& published : store_.tenants.at("acme").keys) {
    EXPECT_EQ(published.master_key, kCurrentKey) << published.kid;
  }
  const auto token = token_of(reader_, "&audience=https://jwt.acme.test");
  ASSERT_FALSE(token.empty());
  EXPECT_TRUE(active(introspect(token, introspector_)));
}

TEST_F(MasterKeyRotationTest, AnOpaqueTokenHashedUnderThePreviousKeyIsActive) {
  const auto token = recorded_token(previous(crypto::KeyPurpose::token_hash), kPreviousKey);
  EXPECT_TRUE(active(introspect(token, introspector_)));
}

// The record's key number decides which key checks the hash: no other
// configured key is tried, and a key no longer configured checks nothing.
TEST_F(MasterKeyRotationTest, AnOpaqueTokenIsInactiveUnlessTheKeyItsRecordNamesMadeItsHash) {
  struct Case {
    const char* name;
    crypto::SubKey hash_key;
    domain::MasterKeyId named;
  };
  const std::vector<Case> cases = {
      {"unknown key, previous hash", previous(crypto::KeyPurpose::token_hash),
       domain::MasterKeyId{3}},
      {"unknown key, current hash", derive(crypto::KeyPurpose::token_hash), domain::MasterKeyId{3}},
      {"names current, previous hash", previous(crypto::KeyPurpose::token_hash), kCurrentKey},
      {"names previous, current hash", derive(crypto::KeyPurpose::token_hash), kPreviousKey},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto token = recorded_token(c.hash_key, c.named);
    EXPECT_FALSE(active(introspect(token, introspector_)));
  }
}

}  // namespace
}  // namespace tessera::endpoints::test
