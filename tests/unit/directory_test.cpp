// The directory cache (cache/directory): what it remembers of tenants and
// clients, the byte budgets that bound it whatever names a peer sends, and
// the signing key it opens when it loads a tenant.
#include "cache/directory.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cache/footprint.hpp"
#include "crypto/base64url.hpp"
#include "crypto/signing_keys.hpp"
#include "tokens/jwt_token.hpp"

namespace tessera::cache {
namespace {

constexpr domain::TenantId kTenant{3};

crypto::SubKey seal_key() {
  return crypto::SubKey::make(
      [](unsigned char* out) { std::fill(out, out + crypto::SubKey::kSize, 's'); });
}

// An in-memory store of clients that counts loads.
class CountingStore : public store::ClientCredentialsStore {
 public:
  std::optional<domain::TenantView> load_tenant(const std::string&) override {
    return std::nullopt;
  }
  std::optional<std::string> slug_for_domain(const std::string&) override { return std::nullopt; }
  std::optional<domain::ClientView> load_client(domain::TenantId,
                                                const std::string& client_id) override {
    ++loads;
    auto it = clients.find(client_id);
    if (it == clients.end()) return std::nullopt;
    return it->second;
  }

  void add(const std::string& client_id) {
    domain::ClientView view;
    view.client.tenant_id = kTenant;
    view.client.client_id = domain::ClientId{client_id};
    view.client.name = "Client " + client_id + " with a name long enough to live on the heap";
    for (int i = 0; i < 2; ++i) {
      domain::SecretView secret;
      secret.keyed_hash = std::string(32, static_cast<char>('a' + i));
      view.secrets.push_back(secret);
    }
    view.grants[1] = {"read", "write"};
    clients[client_id] = view;
  }

  std::map<std::string, domain::ClientView> clients;
  int loads = 0;
};

std::string made_up_id(int n) {
  std::string id = "cl_" + std::to_string(n);
  id.resize(64, 'x');  // the longest id that could name a client
  return id;
}

TEST(DirectoryTest, RemembersClientsAndUnknownIdsUntilAChange) {
  CountingStore store;
  store.add("cl_real");
  Directory directory(store, crypto::SubKeyRing(seal_key()));

  EXPECT_EQ(directory.client(kTenant, "cl_real", false).state,
            Lookup<domain::ClientView>::State::miss);
  ASSERT_TRUE(directory.client(kTenant, "cl_real", true).found());
  EXPECT_EQ(directory.client(kTenant, "cl_nobody", true).state,
            Lookup<domain::ClientView>::State::absent);
  EXPECT_TRUE(directory.client(kTenant, "cl_real", false).found());
  EXPECT_EQ(directory.client(kTenant, "cl_nobody", false).state,
            Lookup<domain::ClientView>::State::absent);
  EXPECT_EQ(store.loads, 2);

  directory.client_changed(kTenant, "cl_real");
  EXPECT_EQ(directory.client(kTenant, "cl_real", false).state,
            Lookup<domain::ClientView>::State::miss);
  const auto usage = directory.usage();
  EXPECT_EQ(usage.found_bytes, 0u);
  EXPECT_GT(usage.absent_bytes, 0u);
}

TEST(DirectoryTest, MadeUpIdsFillOnlyTheAbsentBudgetAndNeverPushOutRealClients) {
  CountingStore store;
  store.add("cl_real");
  Directory directory(store, crypto::SubKeyRing(seal_key()), {1u << 20, 64u << 10});
  ASSERT_TRUE(directory.client(kTenant, "cl_real", true).found());

  for (int n = 0; n < 100'000; ++n) directory.client(kTenant, made_up_id(n), true);

  const auto usage = directory.usage();
  EXPECT_LE(usage.absent_bytes, 64u << 10);
  // A quarter goes when full, so the budget is well used, not emptied.
  EXPECT_GE(usage.absent_bytes, 32u << 10);
  const int loads = store.loads;
  EXPECT_TRUE(directory.client(kTenant, "cl_real", false).found());
  // The latest made-up id is still remembered: no reload.
  EXPECT_EQ(directory.client(kTenant, made_up_id(99'999), true).state,
            Lookup<domain::ClientView>::State::absent);
  EXPECT_EQ(store.loads, loads);
}

TEST(DirectoryTest, RealClientsStayWithinTheirBudgetAndAreReloadedWhenPushedOut) {
  CountingStore store;
  for (int n = 0; n < 2'000; ++n) store.add("cl_client" + std::to_string(n));
  Directory directory(store, crypto::SubKeyRing(seal_key()), {64u << 10, 64u << 10});

  for (int n = 0; n < 2'000; ++n) {
    const auto id = "cl_client" + std::to_string(n);
    const auto found = directory.client(kTenant, id, true);
    ASSERT_TRUE(found.found());
    EXPECT_EQ(found.value->client.client_id.value, id);
  }
  EXPECT_LE(directory.usage().found_bytes, 64u << 10);
  // Whatever was pushed out is loaded again, right.
  const auto first = directory.client(kTenant, "cl_client0", true);
  ASSERT_TRUE(first.found());
  EXPECT_EQ(first.value->client.client_id.value, "cl_client0");
}

// Tenants whose tokens are JWTs, each with an active and a next key, as
// PostgreSQL serves them (only the active key's private half, sealed); a
// rotation as the admin API makes one. Counts loads.
class JwtTenantStore : public store::ClientCredentialsStore {
 public:
  std::optional<domain::TenantView> load_tenant(const std::string& slug) override {
    ++loads;
    auto it = tenants.find(slug);
    if (it == tenants.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::string> slug_for_domain(const std::string&) override { return std::nullopt; }
  std::optional<domain::ClientView> load_client(domain::TenantId, const std::string&) override {
    return std::nullopt;
  }

  void add(const std::string& slug, domain::TenantId id) {
    domain::TenantView view;
    view.tenant.id = id;
    view.tenant.slug = slug;
    view.tenant.token_format = domain::TokenFormat::jwt;
    domain::Api api;
    api.tenant_id = id;
    api.id = domain::ApiId{1};
    api.identifier = "https://api." + slug + ".test";
    view.apis.push_back(api);
    view.keys = {published(domain::SigningKeyState::next, id),
                 published(domain::SigningKeyState::active, id)};
    view.keys[0].sealed_private_key.clear();
    tenants[slug] = view;
  }

  // SPEC §3.4: the next key becomes active, the active one retires, and a
  // new next key is made.
  void rotate(const std::string& slug) {
    auto& view = tenants.at(slug);
    auto& next = view.keys[0];
    auto& active = view.keys[1];
    next.state = domain::SigningKeyState::active;
    next.sealed_private_key = sealed_.at(next.kid);
    active.state = domain::SigningKeyState::retired;
    active.sealed_private_key.clear();
    view.keys.insert(view.keys.begin(), published(domain::SigningKeyState::next, view.tenant.id));
    view.keys[0].sealed_private_key.clear();
  }

  std::map<std::string, domain::TenantView> tenants;
  int loads = 0;

 private:
  domain::PublishedKey published(domain::SigningKeyState state, domain::TenantId id) {
    const auto made = crypto::make_signing_key(crypto::SubKeyRing(seal_key()), id, state);
    sealed_[made.kid] = made.sealed_private_key;
    domain::PublishedKey key;
    key.kid = made.kid;
    key.state = made.state;
    key.public_key = made.public_key;
    key.sealed_private_key = made.sealed_private_key;
    return key;
  }
  std::map<std::string, std::string> sealed_;  // kid -> sealed private half
};

tokens::JwtClaims claims() {
  tokens::JwtClaims c;
  c.iss = "https://auth.test/t/acme";
  c.client_id = "svc";
  c.aud = "https://api.acme.test";
  c.iat = 1700000000;
  c.exp = 1700003600;
  c.jti = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  c.scope = "read";
  return c;
}

std::string kid_of(const std::string& jwt) {
  const auto token = jwt.substr(0, jwt.find('.'));
  return nlohmann::json::parse(crypto::base64url_decode(token).value()).at("kid");
}

TEST(DirectoryTest, LoadsATenantWithItsActiveKeyOpenOncePerLoadUntilARotation) {
  JwtTenantStore store;
  store.add("acme", kTenant);
  Directory directory(store, crypto::SubKeyRing(seal_key()));

  const auto loaded = directory.tenant("acme", true);
  ASSERT_TRUE(loaded.found());
  const std::string active_kid = loaded.value->active_key()->kid;
  const auto token = tokens::mint_jwt(*loaded.value, claims());
  EXPECT_EQ(kid_of(token), active_kid);
  EXPECT_TRUE(tokens::verify_jwt(*loaded.value, token).has_value());
  // Every token after the first is signed with the same view and its
  // already-open key: no reload, nothing opened again.
  for (int i = 0; i < 3; ++i) {
    const auto again = directory.tenant("acme", false);
    ASSERT_TRUE(again.found());
    EXPECT_EQ(again.value, loaded.value);
    EXPECT_TRUE(tokens::verify_jwt(*again.value, tokens::mint_jwt(*again.value, claims())));
  }
  EXPECT_EQ(store.loads, 1);

  // A rotation is a change of the tenant: its view goes, and the next load
  // opens the new active key.
  store.rotate("acme");
  directory.tenant_changed(kTenant);
  EXPECT_EQ(directory.tenant("acme", false).state, Lookup<domain::TenantView>::State::miss);
  const auto rotated = directory.tenant("acme", true);
  ASSERT_TRUE(rotated.found());
  EXPECT_EQ(store.loads, 2);
  const auto after = tokens::mint_jwt(*rotated.value, claims());
  EXPECT_NE(kid_of(after), active_kid);
  EXPECT_EQ(kid_of(after), rotated.value->active_key()->kid);
  EXPECT_TRUE(tokens::verify_jwt(*rotated.value, after).has_value());
  // The retired key is still published: its tokens still verify.
  EXPECT_TRUE(tokens::verify_jwt(*rotated.value, token).has_value());
}

TEST(DirectoryTest, OpensOnlyTheActiveKey) {
  JwtTenantStore store;
  store.add("acme", kTenant);
  store.rotate("acme");  // next, active, retired
  Directory directory(store, crypto::SubKeyRing(seal_key()));
  const auto loaded = directory.tenant("acme", true);
  ASSERT_TRUE(loaded.found());
  ASSERT_EQ(loaded.value->keys.size(), 3u);
  for (const auto& key : loaded.value->keys) {
    EXPECT_EQ(key.private_key.has_value(), key.state == domain::SigningKeyState::active)
        << domain::to_string(key.state);
  }
}

TEST(DirectoryTest, ATenantLoadedWithTheWrongSealingKeyStillLoadsButDoesNotMint) {
  JwtTenantStore store;
  store.add("acme", kTenant);
  Directory directory(store, crypto::SubKeyRing(crypto::SubKey::make([](unsigned char* out) {
                        std::fill(out, out + crypto::SubKey::kSize, 'w');
                      })));
  const auto loaded = directory.tenant("acme", true);
  ASSERT_TRUE(loaded.found());  // discovery, JWKS and opaque tokens go on
  EXPECT_EQ(loaded.value->keys.size(), 2u);
  EXPECT_THROW(tokens::mint_jwt(*loaded.value, claims()), std::runtime_error);
}

// What the process has mapped: each open key is a sodium_malloc region of
// its own, four mappings that sodium_free unmaps.
int memory_mappings() {
  std::ifstream maps("/proc/self/maps");
  int lines = 0;
  for (std::string line; std::getline(maps, line);) ++lines;
  return lines;
}

TEST(DirectoryTest, TheOpenKeysGoWithTheViewsItDrops) {
  constexpr int kTenants = 32;
  JwtTenantStore store;
  for (int n = 0; n < kTenants; ++n) store.add("t" + std::to_string(n), domain::TenantId{100 + n});
  Directory directory(store, crypto::SubKeyRing(seal_key()));
  const int before = memory_mappings();
  for (int n = 0; n < kTenants; ++n)
    ASSERT_TRUE(directory.tenant("t" + std::to_string(n), true).found());
  const int loaded = memory_mappings();
  EXPECT_GE(loaded - before, 2 * kTenants);
  directory.tenant_changed(domain::TenantId{100});  // a rotation drops one view
  const int changed = memory_mappings();
  EXPECT_LT(changed, loaded);
  directory.clear();  // a resynchronisation (or shutdown) drops them all
  EXPECT_GE(changed - memory_mappings(), 2 * (kTenants - 1));
}

TEST(FootprintTest, ChargesTheGuardedPagesOfAnOpenKey) {
  JwtTenantStore store;
  store.add("acme", kTenant);
  Directory directory(store, crypto::SubKeyRing(seal_key()));
  const auto loaded = directory.tenant("acme", true);
  ASSERT_TRUE(loaded.found());
  ASSERT_TRUE(loaded.value->active_key()->private_key.has_value());
  auto sealed = *loaded.value;
  for (auto& key : sealed.keys) key.private_key.reset();
  EXPECT_EQ(footprint(*loaded.value), footprint(sealed) + crypto::guarded_footprint(64));
  EXPECT_GE(crypto::guarded_footprint(64), 4 * 4096u);
}

TEST(FootprintTest, GrowsWithWhatAnEntryHolds) {
  CountingStore store;
  store.add("cl_a");
  auto bigger = store.clients["cl_a"];
  bigger.client.name.append(1000, 'n');
  bigger.grants[2] = std::vector<std::string>(50, std::string(40, 's'));
  EXPECT_GE(footprint(bigger), footprint(store.clients["cl_a"]) + 1000 + 50 * 40);
  EXPECT_GE(footprint(std::string(100, 'x')), 100u);
}

TEST(FootprintTest, CountsTheCustomClaimsOfTheClientAndItsGrants) {
  CountingStore store;
  store.add("cl_a");
  auto claimed = store.clients["cl_a"];
  claimed.client.claims = {{"tier", std::string(500, 't')}};
  claimed.grant_claims[2] = {{"dept", std::string(700, 'd')}};
  EXPECT_GE(footprint(claimed), footprint(store.clients["cl_a"]) + 500 + 700);
}

}  // namespace
}  // namespace tessera::cache
