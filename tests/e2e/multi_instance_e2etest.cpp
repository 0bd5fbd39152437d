// Two `tessera serve` instances on one database (SPEC §4, §5): an admin change
// or a token revocation made through one is seen by the other within a
// second, although both cache clients, grants and token records in process.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
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

struct Credentials {
  std::string id;
  std::string secret;
};

// Tenant "shared" with a default API and a client granted `read` that may
// also introspect.
Credentials shared_client(const AdminApi& admin) {
  EXPECT_EQ(admin.post("/tenants", {{"slug", "shared"}, {"name", "Shared"}}).status, 201);
  const auto api = admin.post("/tenants/shared/apis", {{"identifier", "https://api.shared.test"},
                                                       {"name", "Shared API"},
                                                       {"scopes", {{{"value", "read"}}}},
                                                       {"is_default", true}});
  EXPECT_EQ(api.status, 201);
  const auto client =
      admin.post("/tenants/shared/clients", {{"name", "svc"}, {"can_introspect", true}}).json();
  Credentials credentials{client.at("client_id"), client.at("client_secret")};
  EXPECT_EQ(admin
                .put("/tenants/shared/clients/" + credentials.id + "/grants/" +
                         std::to_string(api.json().at("id").get<long>()),
                     {{"scopes", {"read"}}})
                .status,
            200);
  return credentials;
}

TEST(MultiInstanceE2eTest, AChangeThroughOneInstanceReachesTheOtherWithinASecond) {
  AdminServer first;
  ServerProcess second(first.db.url());
  AdminApi admin(first);

  const auto [id, secret] = shared_client(admin);

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

// Polls introspection until `active` is `wanted` or `limit` passes.
bool active_within(std::chrono::milliseconds limit, bool wanted,
                   const std::function<HttpResult()>& introspect) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    const auto r = introspect();
    if (r.status == 200 && r.json().at("active").get<bool>() == wanted) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

TEST(MultiInstanceE2eTest, ARevocationThroughOneInstanceEndsIntrospectionOnTheOther) {
  AdminServer first;
  ServerProcess second(first.db.url());
  AdminApi admin(first);
  const auto [id, secret] = shared_client(admin);
  const std::string first_public = first.server.public_url() + "/t/shared/oauth";
  auto issue = [&] {
    return access_token_of(
        post_token(first_public + "/token", kClientCredentials, {basic_auth(id, secret)}));
  };
  auto introspect_on_second = [&](const std::string& token) {
    return [&, token] {
      return post_token(second.public_url() + "/t/shared/oauth/introspect", "token=" + token,
                        {basic_auth(id, secret)});
    };
  };

  // Revoked with RFC 7009 on the first instance after the second cached it.
  const auto revoked_by_client = issue();
  ASSERT_TRUE(
      active_within(std::chrono::milliseconds(0), true, introspect_on_second(revoked_by_client)));
  ASSERT_TRUE(
      active_within(std::chrono::milliseconds(0), true, introspect_on_second(revoked_by_client)));
  ASSERT_EQ(
      post_token(first_public + "/revoke", "token=" + revoked_by_client, {basic_auth(id, secret)})
          .status,
      200);
  EXPECT_TRUE(active_within(std::chrono::milliseconds(1000), false,
                            introspect_on_second(revoked_by_client)));

  // Revoked by id through the admin API.
  const auto revoked_by_id = issue();
  ASSERT_TRUE(
      active_within(std::chrono::milliseconds(0), true, introspect_on_second(revoked_by_id)));
  const auto jti = introspect_on_second(revoked_by_id)().json().at("jti").get<std::string>();
  ASSERT_EQ(admin.del("/tenants/shared/tokens/" + jti).status, 204);
  EXPECT_TRUE(
      active_within(std::chrono::milliseconds(1000), false, introspect_on_second(revoked_by_id)));

  // Revoked in bulk by client; a token issued afterwards is active again.
  const auto revoked_in_bulk = issue();
  ASSERT_TRUE(
      active_within(std::chrono::milliseconds(0), true, introspect_on_second(revoked_in_bulk)));
  ASSERT_EQ(admin.post("/tenants/shared/tokens/revoke", {{"client_id", id}}).status, 200);
  EXPECT_TRUE(
      active_within(std::chrono::milliseconds(1000), false, introspect_on_second(revoked_in_bulk)));
  EXPECT_TRUE(active_within(std::chrono::milliseconds(0), true, introspect_on_second(issue())));
}

}  // namespace
}  // namespace tessera::test
