// The directory cache (cache/directory): what it remembers of tenants and
// clients, and the byte budgets that bound it whatever names a peer sends.
#include <gtest/gtest.h>

#include <map>

#include "cache/directory.hpp"
#include "cache/footprint.hpp"

namespace tessera::cache {
namespace {

constexpr domain::TenantId kTenant{3};

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
  Directory directory(store);

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
  Directory directory(store, {1u << 20, 64u << 10});
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
  Directory directory(store, {64u << 10, 64u << 10});

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

TEST(FootprintTest, GrowsWithWhatAnEntryHolds) {
  CountingStore store;
  store.add("cl_a");
  auto bigger = store.clients["cl_a"];
  bigger.client.name.append(1000, 'n');
  bigger.grants[2] = std::vector<std::string>(50, std::string(40, 's'));
  EXPECT_GE(footprint(bigger), footprint(store.clients["cl_a"]) + 1000 + 50 * 40);
  EXPECT_GE(footprint(std::string(100, 'x')), 100u);
}

}  // namespace
}  // namespace tessera::cache
