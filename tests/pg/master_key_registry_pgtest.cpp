// Master-key rotation in the database (migrations/0007_master_key_versions.sql,
// store/postgres/master_key_registry): keys are numbered once, the first
// number goes to the key that made the rows from before numbering, a
// mistyped key is refused rather than numbered, `rekey` re-seals every
// signing key and counts what still depends on each key, and the stores
// replace a hash only while it is still the one that was verified.
#include <gtest/gtest.h>

#include <future>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "crypto/hex.hpp"
#include "crypto/keyed_hash.hpp"
#include "crypto/sealed.hpp"
#include "crypto/signing_keys.hpp"
#include "store/postgres/master_key_registry.hpp"
#include "store/postgres/rows.hpp"
#include "store/postgres/secret_usage_writer.hpp"
#include "store_fixture.hpp"

namespace tessera::test {
namespace {

using store::postgres::MasterKeyMismatch;
using store::postgres::register_master_keys;

crypto::MasterKey key_of(char fill) {
  // base64url of 32 bytes: 43 characters, the last one carrying 4 bits.
  return *crypto::MasterKey::parse(std::string(42, fill) + "A");
}

crypto::MasterKeyRing register_keys(const std::string& url, const crypto::MasterKey& current,
                                    const std::vector<crypto::MasterKey>& previous = {}) {
  pqxx::connection connection(url);
  return register_master_keys(connection, current, previous);
}

// A tenant with one sealed Ed25519 key as a release before 0007 stored it:
// no master_key.
void insert_unnumbered_signing_key(const TestDatabase& db, const crypto::MasterKey& sealed_with) {
  db.execute("INSERT INTO tenants (slug, name) VALUES ('old', 'Old')");
  const domain::TenantId tenant{std::stoll(db.query_value("SELECT id FROM tenants"))};
  const auto key = crypto::make_signing_key(
      crypto::SubKeyRing(sealed_with.derive(crypto::KeyPurpose::signing_key_seal)), tenant,
      domain::SigningKeyState::active);
  pqxx::connection connection(db.url());
  pqxx::work tx(connection);
  tx.exec_params(
      "INSERT INTO signing_keys (tenant_id, kid, alg, state, public_key, sealed_private_key) "
      "VALUES ($1, $2, 'EdDSA', 'active', $3, $4)",
      tenant.value, key.kid, pqxx::binarystring(key.public_key),
      pqxx::binarystring(key.sealed_private_key));
  tx.commit();
}

TEST(MasterKeyRegistryPgTest, AnEmptyDatabaseNumbersTheCurrentKeyOne) {
  TestDatabase db;
  const auto a = key_of('a');
  const auto ring = register_keys(db.url(), a);
  EXPECT_EQ(ring.current().id, domain::kFirstMasterKey);
  EXPECT_TRUE(ring.previous().empty());
  EXPECT_EQ(db.query_value("SELECT count(*) FROM master_keys"), "1");
  EXPECT_EQ(db.query_value("SELECT encode(fingerprint, 'hex') FROM master_keys WHERE id = 1"),
            crypto::to_hex(a.fingerprint()));
  // Again: the same number, no new row.
  EXPECT_EQ(register_keys(db.url(), a).current().id, domain::kFirstMasterKey);
  EXPECT_EQ(db.query_value("SELECT count(*) FROM master_keys"), "1");
}

TEST(MasterKeyRegistryPgTest, TheFirstNumberGoesToTheKeyThatOpensTheStoredSigningKeys) {
  TestDatabase db;
  const auto old_key = key_of('o');
  const auto new_key = key_of('n');
  insert_unnumbered_signing_key(db, old_key);

  // Upgraded and rotated in one go: the old key made what is stored.
  const auto ring = register_keys(db.url(), new_key, {old_key});
  EXPECT_EQ(ring.current().id, domain::MasterKeyId{2});
  ASSERT_EQ(ring.previous().size(), 1u);
  EXPECT_EQ(ring.previous()[0].id, domain::kFirstMasterKey);
  EXPECT_EQ(ring.previous()[0].key.fingerprint(), old_key.fingerprint());
  EXPECT_EQ(db.query_value("SELECT encode(fingerprint, 'hex') FROM master_keys WHERE id = 1"),
            crypto::to_hex(old_key.fingerprint()));
}

TEST(MasterKeyRegistryPgTest, NoConfiguredKeyOpeningTheStoredSigningKeysIsRefused) {
  TestDatabase db;
  insert_unnumbered_signing_key(db, key_of('o'));
  EXPECT_THROW(register_keys(db.url(), key_of('n'), {key_of('x')}), MasterKeyMismatch);
  // Nothing numbered: a later start with the right key numbers it 1.
  EXPECT_EQ(db.query_value("SELECT count(*) FROM master_keys"), "0");
  EXPECT_EQ(register_keys(db.url(), key_of('o')).current().id, domain::kFirstMasterKey);
}

TEST(MasterKeyRegistryPgTest, AnUnknownCurrentKeyIsNumberedOnlyDuringARotation) {
  TestDatabase db;
  const auto a = key_of('a');
  const auto b = key_of('b');
  ASSERT_EQ(register_keys(db.url(), a).current().id, domain::kFirstMasterKey);

  // A mistyped TESSERA_MASTER_KEY: refused, not numbered.
  try {
    register_keys(db.url(), b);
    ADD_FAILURE() << "an unknown key was accepted";
  } catch (const MasterKeyMismatch& e) {
    EXPECT_NE(std::string(e.what()).find("TESSERA_PREVIOUS_MASTER_KEYS"), std::string::npos);
  }
  EXPECT_EQ(db.query_value("SELECT count(*) FROM master_keys"), "1");

  // A rotation: the known key named as previous.
  const auto rotated = register_keys(db.url(), b, {a});
  EXPECT_EQ(rotated.current().id, domain::MasterKeyId{2});
  ASSERT_EQ(rotated.previous().size(), 1u);
  EXPECT_EQ(rotated.previous()[0].id, domain::kFirstMasterKey);
  // Once the old key is dropped, the new one stands alone.
  const auto alone = register_keys(db.url(), b);
  EXPECT_EQ(alone.current().id, domain::MasterKeyId{2});
  EXPECT_TRUE(alone.previous().empty());
}

TEST(MasterKeyRegistryPgTest, APreviousKeyIsAcceptedBeforeItMakesAnything) {
  // The first step of a rolling rotation: the old key still current, the
  // new one accepted, so that no instance refuses what another makes once
  // the second step makes the new key current.
  TestDatabase db;
  const auto old_key = key_of('o');
  const auto new_key = key_of('n');
  ASSERT_EQ(register_keys(db.url(), old_key).current().id, domain::kFirstMasterKey);
  const auto first_step = register_keys(db.url(), old_key, {new_key});
  EXPECT_EQ(first_step.current().id, domain::kFirstMasterKey);
  ASSERT_EQ(first_step.previous().size(), 1u);
  EXPECT_EQ(first_step.previous()[0].id, domain::MasterKeyId{2});
  const auto second_step = register_keys(db.url(), new_key, {old_key});
  EXPECT_EQ(second_step.current().id, domain::MasterKeyId{2});
  ASSERT_EQ(second_step.previous().size(), 1u);
  EXPECT_EQ(second_step.previous()[0].id, domain::kFirstMasterKey);
  // Both steps derive the same sub-key for number 2.
  EXPECT_TRUE(*first_step.derive(crypto::KeyPurpose::token_hash).find(domain::MasterKeyId{2}) ==
              second_step.derive(crypto::KeyPurpose::token_hash).current());
  EXPECT_EQ(db.query_value("SELECT count(*) FROM master_keys"), "2");
}

TEST(MasterKeyRegistryPgTest, InstancesStartingTogetherAgreeOnTheNumbers) {
  TestDatabase db;
  const auto a = key_of('a');
  std::vector<std::future<domain::MasterKeyId>> starts;
  for (int i = 0; i < 4; ++i) {
    starts.push_back(
        std::async(std::launch::async, [&] { return register_keys(db.url(), a).current().id; }));
  }
  for (auto& start : starts) EXPECT_EQ(start.get(), domain::kFirstMasterKey);
  EXPECT_EQ(db.query_value("SELECT count(*) FROM master_keys"), "1");
}

class RekeyPgTest : public StoreFixture {
 protected:
  // An opaque token record made under master key `number`.
  void insert_token(const std::string& client, int number, const std::string& expires_in,
                    bool revoked = false) {
    db_.execute(
        "INSERT INTO tokens (tenant_id, id, client_id, api_id, scope, format, token_hash, "
        "issued_at, expires_at, revoked_at, master_key) VALUES (" +
        std::to_string(tenant_.id.value) + ", gen_random_uuid(), '" + client + "', " +
        std::to_string(api_.id.value) + ", 'read', 'opaque', decode(repeat('ab', 32), 'hex'), " +
        "now(), now() + interval '" + expires_in + "', " + (revoked ? "now()" : "NULL") + ", " +
        std::to_string(number) + ")");
  }

  const store::postgres::MasterKeyUsage& usage_of(
      const std::vector<store::postgres::MasterKeyUsage>& usage, int number) {
    for (const auto& entry : usage) {
      if (entry.id.value == number) return entry;
    }
    throw std::runtime_error("no usage for key " + std::to_string(number));
  }

  domain::Tenant tenant_ = make_tenant("acme");
  domain::Api api_ = make_api(tenant_.id, "https://api.acme.test");
  crypto::MasterKey new_key_ = key_of('n');
};

TEST_F(RekeyPgTest, ResealsEveryPrivateHalfUnderTheCurrentKeyAndCountsWhatDependsOnEachKey) {
  const auto first = make_client(tenant_.id, "first");
  make_client(tenant_.id, "second");
  insert_token(first.client_id.value, 1, "1 hour");
  insert_token(first.client_id.value, 1, "2 hours");
  insert_token(first.client_id.value, 1, "1 hour", /*revoked=*/true);
  insert_token(first.client_id.value, 1, "-1 hour");  // expired
  const auto sealed =
      db_.query_value("SELECT count(*) FROM signing_keys WHERE sealed_private_key IS NOT NULL");
  ASSERT_NE(sealed, "0");

  const auto rotated = register_keys(db_.url(), new_key_, {master_});
  ASSERT_EQ(rotated.current().id, domain::MasterKeyId{2});
  pqxx::connection connection(db_.url());
  const auto result = store::postgres::reseal_signing_keys(connection, rotated);
  EXPECT_EQ(std::to_string(result.resealed), sealed);
  EXPECT_TRUE(result.unopened.empty());
  EXPECT_EQ(audit_count("master_key.rekey"), "1");

  // Every private half now opens with the new key, and only with it.
  pqxx::work tx(connection);
  const auto new_seal = new_key_.derive(crypto::KeyPurpose::signing_key_seal);
  const auto old_seal = master_.derive(crypto::KeyPurpose::signing_key_seal);
  for (const auto& row : tx.exec("SELECT tenant_id, kid, sealed_private_key, master_key "
                                 "FROM signing_keys WHERE sealed_private_key IS NOT NULL")) {
    const auto associated = crypto::signing_key_associated_data(
        domain::TenantId{row[0].as<std::int64_t>()}, row[1].as<std::string>());
    const auto bytes = store::postgres::bytea_of(row[2]);
    EXPECT_EQ(row[3].as<int>(), 2);
    EXPECT_TRUE(crypto::open_sealed(new_seal, bytes, associated).has_value());
    EXPECT_FALSE(crypto::open_sealed(old_seal, bytes, associated).has_value());
  }
  tx.commit();

  const auto usage = store::postgres::master_key_usage(connection);
  ASSERT_EQ(usage.size(), 2u);
  const auto& old_usage = usage_of(usage, 1);
  EXPECT_EQ(old_usage.client_secrets, 2);
  EXPECT_EQ(old_usage.admin_keys, 1);  // the fixture's
  EXPECT_EQ(old_usage.tokens, 2);      // not the revoked one, not the expired one
  ASSERT_TRUE(old_usage.tokens_expire_by.has_value());
  EXPECT_GT(*old_usage.tokens_expire_by,
            std::chrono::system_clock::now() + std::chrono::minutes(90));
  EXPECT_EQ(old_usage.signing_keys, 0);
  const auto& new_usage = usage_of(usage, 2);
  EXPECT_EQ(std::to_string(new_usage.signing_keys), sealed);
  EXPECT_EQ(new_usage.client_secrets + new_usage.admin_keys + new_usage.tokens, 0);

  // Nothing left to re-seal.
  EXPECT_EQ(store::postgres::reseal_signing_keys(connection, rotated).resealed, 0);
}

TEST_F(RekeyPgTest, AKeyOfAMasterKeyThatIsNotConfiguredIsLeftAndNamed) {
  register_keys(db_.url(), new_key_, {master_});
  // The old key dropped before `rekey` ran.
  const auto alone = register_keys(db_.url(), new_key_);
  pqxx::connection connection(db_.url());
  const auto result = store::postgres::reseal_signing_keys(connection, alone);
  EXPECT_EQ(result.resealed, 0);
  ASSERT_FALSE(result.unopened.empty());
  EXPECT_NE(result.unopened[0].find("master key 1 (not configured)"), std::string::npos)
      << result.unopened[0];
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM signing_keys WHERE master_key = 2"), "0");
}

TEST_F(RekeyPgTest, AUsedSecretIsStoredAgainOnlyWhileItIsTheHashThatWasVerified) {
  const auto client = make_client(tenant_.id);
  register_keys(db_.url(), new_key_, {master_});
  const auto secret_id = std::stoll(db_.query_value(
      "SELECT id FROM client_secrets WHERE client_id = '" + client.client_id.value + "'"));
  const std::string rehashed(32, 'r');
  {
    store::postgres::SecretUsageWriter writer(pool_, std::chrono::hours(1));
    writer.rehash(tenant_.id, client.client_id.value, domain::SecretId{secret_id},
                  {domain::MasterKeyId{1}, rehashed, domain::MasterKeyId{2}});
    writer.flush();
    // A second instance that verified the old hash too: nothing to replace.
    writer.rehash(tenant_.id, client.client_id.value, domain::SecretId{secret_id},
                  {domain::MasterKeyId{1}, std::string(32, 's'), domain::MasterKeyId{2}});
    writer.flush();
  }
  EXPECT_EQ(db_.query_value("SELECT master_key FROM client_secrets WHERE id = " +
                            std::to_string(secret_id)),
            "2");
  EXPECT_EQ(db_.query_value("SELECT encode(keyed_hash, 'escape') FROM client_secrets WHERE id = " +
                            std::to_string(secret_id)),
            rehashed);
}

TEST_F(RekeyPgTest, AnAdminKeyIsStoredAgainOnlyWhileItIsTheHashThatWasVerified) {
  register_keys(db_.url(), new_key_, {master_});
  admin_keys_.rehash(actor_.key_id, domain::MasterKeyId{1}, std::string(32, 'r'),
                     domain::MasterKeyId{2});
  admin_keys_.rehash(actor_.key_id, domain::MasterKeyId{1}, std::string(32, 's'),
                     domain::MasterKeyId{2});
  const auto stored = admin_keys_.find_active(actor_.key_id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->master_key, domain::MasterKeyId{2});
  EXPECT_EQ(stored->key_hash, std::string(32, 'r'));
}

}  // namespace
}  // namespace tessera::test
