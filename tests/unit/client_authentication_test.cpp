// The client secret check (grants/client_authentication), also from several
// threads at once as the server's workers call it (tsan_tests runs this
// file under ThreadSanitizer).
#include "grants/client_authentication.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "crypto/base64url.hpp"
#include "crypto/keyed_hash.hpp"
#include "crypto/master_key.hpp"
#include "crypto/password_hash.hpp"
#include "domain/token_views.hpp"

namespace tessera::grants {
namespace {

using domain::SecretId;
using domain::SecretView;
using domain::Timestamp;
using Outcome = ClientAuthenticator::Result::Outcome;
using std::chrono::seconds;

const Timestamp kNow = Timestamp{seconds(1'700'000'000)};
constexpr const char* kGenerated = "g3n3rated-secret_of-43-characters-xxxxxxxxx";
constexpr const char* kImported = "an imported secret chosen by a person, 32+ chars";

crypto::SubKey secret_key() {
  return crypto::MasterKey::parse(crypto::base64url_encode(std::string(32, 's')))
      .value()
      .derive(crypto::KeyPurpose::client_secret_hash);
}

SecretView generated(std::int64_t id, const std::string& secret) {
  SecretView out;
  out.id = SecretId{id};
  out.keyed_hash = crypto::keyed_hash(secret_key(), secret);
  return out;
}

// One Argon2id hash (tens of milliseconds) shared by every test.
const std::string& imported_hash() {
  static const std::string hash = crypto::password_hash(kImported);
  return hash;
}

SecretView imported(std::int64_t id) {
  SecretView out;
  out.id = SecretId{id};
  out.imported = true;
  out.argon2_hash = imported_hash();
  return out;
}

domain::ClientView client_with(std::vector<SecretView> secrets,
                               const std::string& client_id = "client-a") {
  domain::ClientView out;
  out.client.tenant_id = domain::TenantId{1};
  out.client.client_id = domain::ClientId{client_id};
  out.secrets = std::move(secrets);
  return out;
}

TEST(ClientAuthenticatorTest, AcceptsTheRightGeneratedSecret) {
  ClientAuthenticator authenticator{crypto::SubKeyRing(secret_key())};
  const auto client = client_with({generated(7, kGenerated)});
  const auto result = authenticator.check_fast(&client, kGenerated, kNow);
  EXPECT_EQ(result.outcome, Outcome::ok);
  EXPECT_EQ(result.secret_id, SecretId{7});
}

TEST(ClientAuthenticatorTest, TellsWhichOfTwoGeneratedSecretsMatched) {
  ClientAuthenticator authenticator{crypto::SubKeyRing(secret_key())};
  const auto client = client_with({generated(7, "old-secret"), generated(8, "new-secret")});
  EXPECT_EQ(authenticator.check_fast(&client, "old-secret", kNow).secret_id, SecretId{7});
  EXPECT_EQ(authenticator.check_fast(&client, "new-secret", kNow).secret_id, SecretId{8});
}

TEST(ClientAuthenticatorTest, RefusesAWrongGeneratedSecret) {
  ClientAuthenticator authenticator{crypto::SubKeyRing(secret_key())};
  const auto client = client_with({generated(7, kGenerated)});
  for (const std::string& presented :
       {std::string(""), std::string(kGenerated) + "x", std::string(kGenerated).substr(1),
        std::string("G3n3rated-secret_of-43-characters-xxxxxxxxx")}) {
    SCOPED_TRACE(presented);
    EXPECT_EQ(authenticator.check_fast(&client, presented, kNow).outcome, Outcome::failed);
  }
}

TEST(ClientAuthenticatorTest, RefusesAnExpiredOrRevokedSecret) {
  ClientAuthenticator authenticator{crypto::SubKeyRing(secret_key())};
  struct Case {
    std::string name;
    std::optional<Timestamp> expires_at;
    bool revoked;
    Outcome expected;
  };
  const std::vector<Case> cases = {
      {"expires later", kNow + seconds(1), false, Outcome::ok},
      {"expires now", kNow, false, Outcome::failed},
      {"expired", kNow - seconds(1), false, Outcome::failed},
      {"revoked", std::nullopt, true, Outcome::failed},
      {"revoked before it expires", kNow + seconds(60), true, Outcome::failed},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    SecretView secret = generated(7, kGenerated);
    secret.expires_at = c.expires_at;
    secret.revoked = c.revoked;
    const auto client = client_with({secret});
    EXPECT_EQ(authenticator.check_fast(&client, kGenerated, kNow).outcome, c.expected);
  }
}

TEST(ClientAuthenticatorTest, RefusesAnUnknownClient) {
  ClientAuthenticator authenticator{crypto::SubKeyRing(secret_key())};
  EXPECT_EQ(authenticator.check_fast(nullptr, kGenerated, kNow).outcome, Outcome::failed);
}

TEST(ClientAuthenticatorTest, RefusesAClientWithoutSecrets) {
  ClientAuthenticator authenticator{crypto::SubKeyRing(secret_key())};
  const auto client = client_with({});
  EXPECT_EQ(authenticator.check_fast(&client, kGenerated, kNow).outcome, Outcome::failed);
}

// Two Argon2id verifications: a wrong secret and the first right one.
TEST(ClientAuthenticatorTest, ChecksAnImportedSecretSlowlyOnceThenFast) {
  ClientAuthenticator authenticator{crypto::SubKeyRing(secret_key())};
  const auto client = client_with({imported(5)});

  EXPECT_EQ(authenticator.check_fast(&client, kImported, kNow).outcome, Outcome::needs_slow_check);
  EXPECT_EQ(authenticator.check_slow(client, std::string(kImported) + "x", kNow).outcome,
            Outcome::failed);
  EXPECT_EQ(authenticator.check_fast(&client, kImported, kNow).outcome, Outcome::needs_slow_check);

  const auto slow = authenticator.check_slow(client, kImported, kNow);
  EXPECT_EQ(slow.outcome, Outcome::ok);
  EXPECT_EQ(slow.secret_id, SecretId{5});

  const auto fast = authenticator.check_fast(&client, kImported, kNow);
  EXPECT_EQ(fast.outcome, Outcome::ok);
  EXPECT_EQ(fast.secret_id, SecretId{5});
  // A wrong secret is never accepted from memory: it goes to the slow path.
  EXPECT_EQ(authenticator.check_fast(&client, std::string(kImported) + "x", kNow).outcome,
            Outcome::needs_slow_check);

  // Another client, or the same id in another tenant, is not forgotten.
  authenticator.forget(domain::TenantId{2}, "client-a");
  authenticator.forget(domain::TenantId{1}, "client-b");
  EXPECT_EQ(authenticator.check_fast(&client, kImported, kNow).outcome, Outcome::ok);

  authenticator.forget(domain::TenantId{1}, "client-a");
  EXPECT_EQ(authenticator.check_fast(&client, kImported, kNow).outcome, Outcome::needs_slow_check);
}

TEST(ClientAuthenticatorTest, RemembersAnImportedSecretPerClient) {
  ClientAuthenticator authenticator{crypto::SubKeyRing(secret_key())};
  const auto client_a = client_with({imported(5)}, "client-a");
  auto client_b = client_with({imported(5)}, "client-b");
  ASSERT_EQ(authenticator.check_slow(client_a, kImported, kNow).outcome, Outcome::ok);
  EXPECT_EQ(authenticator.check_fast(&client_a, kImported, kNow).outcome, Outcome::ok);
  EXPECT_EQ(authenticator.check_fast(&client_b, kImported, kNow).outcome,
            Outcome::needs_slow_check);
}

TEST(ClientAuthenticatorTest, SkipsUnusableImportedSecretsWithoutArgon2) {
  ClientAuthenticator authenticator{crypto::SubKeyRing(secret_key())};
  SecretView revoked = imported(5);
  revoked.revoked = true;
  SecretView expired = imported(6);
  expired.expires_at = kNow;
  const auto client = client_with({revoked, expired});
  EXPECT_EQ(authenticator.check_fast(&client, kImported, kNow).outcome, Outcome::failed);
  EXPECT_EQ(authenticator.check_slow(client, kImported, kNow).outcome, Outcome::failed);
}

TEST(ClientAuthenticatorTest, PrefersAMatchingGeneratedSecretToTheSlowPath) {
  ClientAuthenticator authenticator{crypto::SubKeyRing(secret_key())};
  const auto client = client_with({imported(5), generated(7, kGenerated)});
  const auto result = authenticator.check_fast(&client, kGenerated, kNow);
  EXPECT_EQ(result.outcome, Outcome::ok);
  EXPECT_EQ(result.secret_id, SecretId{7});
  EXPECT_EQ(authenticator.check_fast(&client, "wrong", kNow).outcome, Outcome::needs_slow_check);
}

// Master-key rotation: the current master key is number 2, the one before
// it (secret_key() above) number 1.
constexpr domain::MasterKeyId kPreviousKey{1};
constexpr domain::MasterKeyId kCurrentKey{2};

crypto::SubKey current_secret_key() {
  return crypto::MasterKey::parse(crypto::base64url_encode(std::string(32, 'n')))
      .value()
      .derive(crypto::KeyPurpose::client_secret_hash);
}

crypto::SubKeyRing rotated_ring() {
  crypto::SubKeyRing ring(current_secret_key(), kCurrentKey);
  ring.add_previous(kPreviousKey, secret_key());
  return ring;
}

// A generated secret as stored under master key `master_key`.
SecretView generated_under(std::int64_t id, const std::string& secret, const crypto::SubKey& key,
                           domain::MasterKeyId master_key) {
  SecretView out;
  out.id = SecretId{id};
  out.keyed_hash = crypto::keyed_hash(key, secret);
  out.master_key = master_key;
  return out;
}

TEST(ClientAuthenticatorTest, AcceptsASecretHashedUnderAPreviousMasterKeyAndAsksForARehash) {
  ClientAuthenticator authenticator{rotated_ring()};
  const auto client = client_with({generated_under(7, kGenerated, secret_key(), kPreviousKey)});
  const auto result = authenticator.check_fast(&client, kGenerated, kNow);
  EXPECT_EQ(result.outcome, Outcome::ok);
  EXPECT_EQ(result.secret_id, SecretId{7});
  ASSERT_TRUE(result.rehash.has_value());
  EXPECT_EQ(result.rehash->from, kPreviousKey);
  EXPECT_EQ(result.rehash->to, kCurrentKey);
  EXPECT_EQ(result.rehash->keyed_hash, crypto::keyed_hash(current_secret_key(), kGenerated));
}

TEST(ClientAuthenticatorTest, AcceptsASecretHashedUnderTheCurrentMasterKeyWithoutARehash) {
  ClientAuthenticator authenticator{rotated_ring()};
  const auto client =
      client_with({generated_under(7, kGenerated, current_secret_key(), kCurrentKey)});
  const auto result = authenticator.check_fast(&client, kGenerated, kNow);
  EXPECT_EQ(result.outcome, Outcome::ok);
  EXPECT_EQ(result.secret_id, SecretId{7});
  EXPECT_FALSE(result.rehash.has_value());
}

// The same secret stored twice (a rehash raced a rotation): the row already
// under the current key is the one that verified, in either order, and
// nothing needs storing again.
TEST(ClientAuthenticatorTest, PrefersTheRowUnderTheCurrentMasterKeyToAPreviousOne) {
  ClientAuthenticator authenticator{rotated_ring()};
  const auto previous = generated_under(7, kGenerated, secret_key(), kPreviousKey);
  const auto current = generated_under(8, kGenerated, current_secret_key(), kCurrentKey);
  for (const auto& client : {client_with({previous, current}), client_with({current, previous})}) {
    const auto result = authenticator.check_fast(&client, kGenerated, kNow);
    EXPECT_EQ(result.outcome, Outcome::ok);
    EXPECT_EQ(result.secret_id, SecretId{8});
    EXPECT_FALSE(result.rehash.has_value());
  }
}

// A master key taken out of the configuration takes what it made with it:
// the row names key 3, which is not in the ring, so no key is tried, not
// even the one whose hash would match.
TEST(ClientAuthenticatorTest, RefusesASecretHashedUnderAMasterKeyNoLongerConfigured) {
  ClientAuthenticator authenticator{rotated_ring()};
  for (const auto& key : {secret_key(), current_secret_key()}) {
    const auto client = client_with({generated_under(7, kGenerated, key, domain::MasterKeyId{3})});
    const auto result = authenticator.check_fast(&client, kGenerated, kNow);
    EXPECT_EQ(result.outcome, Outcome::failed);
    EXPECT_FALSE(result.rehash.has_value());
  }
}

TEST(ClientAuthenticatorTest, RefusesAWrongSecretAgainstAHashUnderAPreviousMasterKey) {
  ClientAuthenticator authenticator{rotated_ring()};
  const auto client = client_with({generated_under(7, kGenerated, secret_key(), kPreviousKey)});
  for (const std::string presented : {"wrong", "g3n3rated-secret_of-43-characters-xxxxxxxxy"}) {
    const auto result = authenticator.check_fast(&client, presented, kNow);
    EXPECT_EQ(result.outcome, Outcome::failed);
    EXPECT_FALSE(result.rehash.has_value());
  }
}

// A row named by a previous key is still subject to expiry and revocation.
TEST(ClientAuthenticatorTest, RefusesAnExpiredOrRevokedSecretUnderAPreviousMasterKey) {
  ClientAuthenticator authenticator{rotated_ring()};
  auto expired = generated_under(7, kGenerated, secret_key(), kPreviousKey);
  expired.expires_at = kNow;
  auto revoked = generated_under(8, kGenerated, secret_key(), kPreviousKey);
  revoked.revoked = true;
  const auto client = client_with({expired, revoked});
  const auto result = authenticator.check_fast(&client, kGenerated, kNow);
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_FALSE(result.rehash.has_value());
}

// Workers check secrets of several clients at once, slow and fast, while
// another thread forgets what was remembered (a rotation): the right secret
// is always accepted, a wrong one never.
TEST(ClientAuthenticatorTest, ChecksFromManyThreadsAtOnceAgree) {
  ClientAuthenticator authenticator{crypto::SubKeyRing(secret_key())};
  constexpr int kClients = 4;
  std::vector<domain::ClientView> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.push_back(
        client_with({imported(5), generated(7, kGenerated)}, "client-" + std::to_string(c)));
  }
  std::atomic<int> wrong_answers{0};
  std::atomic<bool> done{false};

  std::vector<std::thread> workers;
  for (int c = 0; c < kClients; ++c) {
    workers.emplace_back([&, c] {
      const auto& client = clients[static_cast<std::size_t>(c)];
      for (int round = 0; round < 2; ++round) {
        auto result = authenticator.check_fast(&client, kImported, kNow);
        if (result.outcome == Outcome::needs_slow_check) {
          result = authenticator.check_slow(client, kImported, kNow);
        }
        if (result.outcome != Outcome::ok || result.secret_id != SecretId{5}) ++wrong_answers;
        for (int i = 0; i < 50; ++i) {
          if (authenticator.check_fast(&client, kGenerated, kNow).secret_id != SecretId{7}) {
            ++wrong_answers;
          }
          if (authenticator.check_fast(&client, "wrong", kNow).outcome == Outcome::ok) {
            ++wrong_answers;
          }
        }
      }
    });
  }
  std::thread forgetter([&] {
    while (!done.load()) {
      for (int c = 0; c < kClients; ++c) {
        authenticator.forget(domain::TenantId{1}, "client-" + std::to_string(c));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  for (auto& worker : workers) worker.join();
  done = true;
  forgetter.join();

  EXPECT_EQ(wrong_answers.load(), 0);
}

}  // namespace
}  // namespace tessera::grants
