// Two `tessera serve` instances on one database (SPEC §4, §5): an admin change
// made through one is seen by the other within a second, although both cache
// clients and grants in process.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "e2e/admin_api.hpp"
#include "e2e/token_fixture.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

// Polls `token_status` for up to `limit`; returns the last status seen.
template <typename Request>
long status_within(std::chrono::milliseconds limit, long wanted, Request request) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  long status = request().status;
  while (status != wanted && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = request().status;
  }
  return status;
}

TEST(MultiInstanceE2eTest, AChangeThroughOneInstanceReachesTheOtherWithinASecond) {
  AdminServer first;
  ServerProcess second(first.db.url());
  AdminApi admin(first);

  ASSERT_EQ(admin.post("/tenants", {{"slug", "shared"}, {"name", "Shared"}}).status, 201);
  const auto api = admin.post("/tenants/shared/apis", {{"identifier", "https://api.shared.test"},
                                                       {"name", "Shared API"},
                                                       {"scopes", {{{"value", "read"}}}},
                                                       {"is_default", true}});
  ASSERT_EQ(api.status, 201);
  const auto client = admin.post("/tenants/shared/clients", {{"name", "svc"}}).json();
  const std::string id = client.at("client_id");
  const std::string secret = client.at("client_secret");
  ASSERT_EQ(admin.put("/tenants/shared/clients/" + id + "/grants/" +
                          std::to_string(api.json().at("id").get<long>()),
                      {{"scopes", {"read"}}})
                .status,
            200);

  const std::string token_url = second.public_url() + "/t/shared/oauth/token";
  auto token_from_second = [&] {
    return post_token(token_url, kClientCredentials, {basic_auth(id, secret)});
  };
  // The second instance now caches the client.
  ASSERT_EQ(token_from_second().status, 200);

  ASSERT_EQ(admin.patch("/tenants/shared/clients/" + id, {{"status", "disabled"}}).status, 200);
  const auto disabled_at = std::chrono::steady_clock::now();
  EXPECT_EQ(status_within(std::chrono::milliseconds(1000), 401, token_from_second), 401);
  EXPECT_LT(std::chrono::steady_clock::now() - disabled_at, std::chrono::milliseconds(1500));

  ASSERT_EQ(admin.patch("/tenants/shared/clients/" + id, {{"status", "active"}}).status, 200);
  EXPECT_EQ(status_within(std::chrono::milliseconds(1000), 200, token_from_second), 200);

  // A rotated secret with no grace stops working on the other instance too.
  const auto rotated = admin.post("/tenants/shared/clients/" + id + "/secrets", json::object());
  ASSERT_EQ(rotated.status, 201);
  EXPECT_EQ(status_within(std::chrono::milliseconds(1000), 401, token_from_second), 401);
  const std::string new_secret = rotated.json().at("client_secret");
  EXPECT_EQ(post_token(token_url, kClientCredentials, {basic_auth(id, new_secret)}).status, 200);
}

}  // namespace
}  // namespace tessera::test
