// Admin keys under master-key rotation (admin/admin_authentication): a key's
// stored hash is checked with the master key its row names, and a key made
// under a previous master key is stored again under the current one.
#include "admin/admin_authentication.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/base64url.hpp"
#include "crypto/credentials.hpp"
#include "crypto/keyed_hash.hpp"
#include "crypto/master_key.hpp"

namespace tessera::admin {
namespace {

using domain::AdminKeyId;
using domain::MasterKeyId;

constexpr MasterKeyId kPreviousKey{1};
constexpr MasterKeyId kCurrentKey{2};

crypto::SubKey admin_hash_key_of(char fill) {
  return crypto::MasterKey::parse(crypto::base64url_encode(std::string(32, fill)))
      .value()
      .derive(crypto::KeyPurpose::admin_key_hash);
}

crypto::SubKey previous_key() {
  return admin_hash_key_of('p');
}
crypto::SubKey current_key() {
  return admin_hash_key_of('c');
}

crypto::SubKeyRing rotated_ring() {
  crypto::SubKeyRing ring(current_key(), kCurrentKey);
  ring.add_previous(kPreviousKey, previous_key());
  return ring;
}

// Only what authenticate_admin_key uses: lookup by id, touch and rehash,
// each call recorded.
class FakeAdminKeys : public store::AdminKeyStore {
 public:
  struct Rehash {
    AdminKeyId id;
    MasterKeyId from;
    std::string key_hash;
    MasterKeyId to;
  };

  store::CreatedAdminKey create(const std::string&, std::optional<domain::TenantId>,
                                const std::string&, MasterKeyId,
                                const std::optional<domain::Actor>&) override {
    throw std::logic_error("not in these tests");
  }
  std::optional<store::StoredAdminKey> find_active(AdminKeyId id) override {
    auto it = keys.find(id.value);
    if (it == keys.end()) return std::nullopt;
    return it->second;
  }
  void touch(AdminKeyId id) override { touched.push_back(id.value); }
  void rehash(AdminKeyId id, MasterKeyId from, const std::string& key_hash,
              MasterKeyId to) override {
    rehashed.push_back({id, from, key_hash, to});
  }
  domain::Page<store::AdminKeyInfo> list(std::optional<domain::TenantId>,
                                         std::optional<std::int64_t>, int) override {
    return {};
  }
  std::optional<store::AdminKeyInfo> find(AdminKeyId) override { return std::nullopt; }
  void revoke(AdminKeyId, const domain::Actor&) override {}

  std::map<std::int64_t, store::StoredAdminKey> keys;
  std::vector<std::int64_t> touched;
  std::vector<Rehash> rehashed;
};

class AdminKeyRotationTest : public ::testing::Test {
 protected:
  // Stores admin key `id` with its hash under `key`, its row naming
  // `master_key`; returns the Authorization header that presents it.
  std::string add_key(std::int64_t id, const crypto::SubKey& key, MasterKeyId master_key) {
    store::StoredAdminKey stored;
    stored.key_hash = crypto::keyed_hash(key, secret_);
    stored.master_key = master_key;
    stored.tenant = domain::TenantId{9};
    store_.keys[id] = stored;
    return "Bearer " + crypto::format_admin_key(id, secret_);
  }

  const std::string secret_ = crypto::generate_client_secret();
  FakeAdminKeys store_;
  const crypto::SubKeyRing ring_ = rotated_ring();
};

TEST_F(AdminKeyRotationTest, AKeyUnderAPreviousMasterKeyAuthenticatesAndIsRehashedOnce) {
  const auto header = add_key(42, previous_key(), kPreviousKey);
  const auto key = authenticate_admin_key(store_, ring_, header);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->actor.key_id, AdminKeyId{42});
  ASSERT_EQ(store_.rehashed.size(), 1u);
  EXPECT_EQ(store_.rehashed[0].id, AdminKeyId{42});
  EXPECT_EQ(store_.rehashed[0].from, kPreviousKey);
  EXPECT_EQ(store_.rehashed[0].key_hash, crypto::keyed_hash(current_key(), secret_));
  EXPECT_EQ(store_.rehashed[0].to, kCurrentKey);
  EXPECT_EQ(store_.touched, std::vector<std::int64_t>{42});
}

TEST_F(AdminKeyRotationTest, AKeyUnderTheCurrentMasterKeyAuthenticatesWithoutARehash) {
  const auto header = add_key(42, current_key(), kCurrentKey);
  const auto key = authenticate_admin_key(store_, ring_, header);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->actor.key_id, AdminKeyId{42});
  EXPECT_TRUE(store_.rehashed.empty());
}

// A master key taken out of the configuration takes its admin keys with it,
// even the hash that would match under a configured key.
TEST_F(AdminKeyRotationTest, AKeyUnderAMasterKeyNoLongerConfiguredIsRefusedAndNotRehashed) {
  for (const auto& hash_key : {previous_key(), current_key()}) {
    const auto header = add_key(42, hash_key, MasterKeyId{3});
    EXPECT_FALSE(authenticate_admin_key(store_, ring_, header).has_value());
  }
  EXPECT_TRUE(store_.rehashed.empty());
  EXPECT_TRUE(store_.touched.empty());
}

TEST_F(AdminKeyRotationTest, AWrongSecretIsRefusedUnderAPreviousOrTheCurrentMasterKey) {
  add_key(41, previous_key(), kPreviousKey);
  add_key(42, current_key(), kCurrentKey);
  const std::string wrong = crypto::generate_client_secret();
  for (const std::int64_t id : {41, 42}) {
    SCOPED_TRACE(id);
    EXPECT_FALSE(
        authenticate_admin_key(store_, ring_, "Bearer " + crypto::format_admin_key(id, wrong))
            .has_value());
  }
  EXPECT_TRUE(store_.rehashed.empty());
  EXPECT_TRUE(store_.touched.empty());
}

}  // namespace
}  // namespace tessera::admin
