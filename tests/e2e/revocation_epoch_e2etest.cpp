// `tessera revocation-epoch` against two running instances (a
// restore that must not resurrect revoked tokens; docs/operations.md): once
// the epoch is set, every token issued before it, opaque or JWT,
// introspects inactive on both instances within a second; tokens issued
// after stay active; the admin listing's `active` filter agrees; and the
// command refuses what it must.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "domain/time.hpp"
#include "e2e/admin_api.hpp"
#include "e2e/token_fixture.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

bool active_within(milliseconds limit, bool wanted, const std::function<HttpResult()>& introspect) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    const auto r = introspect();
    if (r.status == 200 && r.json().at("active").get<bool>() == wanted) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(50));
  }
}

class RevocationEpochE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(admin.post("/tenants", {{"slug", "shared"}, {"name", "Shared"}}).status, 201);
    const auto api = admin.post("/tenants/shared/apis", {{"identifier", "https://api.shared.test"},
                                                         {"name", "Shared API"},
                                                         {"scopes", {{{"value", "read"}}}},
                                                         {"is_default", true}});
    ASSERT_EQ(api.status, 201);
    const auto client =
        admin.post("/tenants/shared/clients", {{"name", "svc"}, {"can_introspect", true}}).json();
    id = client.at("client_id");
    secret = client.at("client_secret");
    ASSERT_EQ(admin
                  .put("/tenants/shared/clients/" + id + "/grants/" +
                           std::to_string(api.json().at("id").get<long>()),
                       {{"scopes", {"read"}}})
                  .status,
              200);
  }

  std::string issue(const std::string& format) {
    EXPECT_EQ(admin.patch("/tenants/shared", {{"token_format", format}}).status, 200);
    // The tenant change reaches the issuing instance's cache at once.
    return access_token_of(post_token(first.server.public_url() + "/t/shared/oauth/token",
                                      kClientCredentials, {basic_auth(id, secret)}));
  }
  std::function<HttpResult()> introspect(const std::string& public_url, const std::string& token) {
    return [this, public_url, token] {
      return post_token(public_url + "/t/shared/oauth/introspect", "token=" + token,
                        {basic_auth(id, secret)});
    };
  }
  CommandResult epoch(const std::vector<std::string>& args) {
    std::vector<std::string> all{"revocation-epoch"};
    all.insert(all.end(), args.begin(), args.end());
    return run_tessera(all, server_env(first.db.url()));
  }

  AdminServer first;
  ServerProcess second{first.db.url()};
  AdminApi admin{first};
  std::string id;
  std::string secret;
};

TEST_F(RevocationEpochE2eTest, TokensIssuedBeforeTheEpochEndOnBothInstancesWithinASecond) {
  const auto show = epoch({"show"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(show.out, "none\n");

  const std::vector<std::string> before{issue("opaque"), issue("jwt")};
  const std::vector<std::string> urls{first.server.public_url(), second.public_url()};
  // Both instances hold the records (and the empty epoch) in their caches.
  for (const auto& url : urls) {
    for (const auto& token : before) {
      ASSERT_TRUE(active_within(milliseconds(0), true, introspect(url, token))) << url;
    }
  }

  const auto set = epoch({"set", "now"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  const auto set_at = std::chrono::steady_clock::now();
  const auto printed = domain::parse_rfc3339(set.out.substr(0, set.out.size() - 1));
  ASSERT_TRUE(printed) << set.out;
  EXPECT_EQ(epoch({"show"}).out, set.out);

  for (const auto& url : urls) {
    for (const auto& token : before) {
      EXPECT_TRUE(active_within(milliseconds(1000), false, introspect(url, token))) << url;
    }
  }
  EXPECT_LT(std::chrono::steady_clock::now() - set_at, milliseconds(1500));

  // The epoch is the next whole second at most: tokens issued from then on.
  ASSERT_LE(*printed - std::chrono::system_clock::now(), std::chrono::seconds(1));
  std::this_thread::sleep_until(*printed);
  const std::vector<std::string> after{issue("opaque"), issue("jwt")};
  for (const auto& url : urls) {
    for (const auto& token : after) {
      EXPECT_TRUE(active_within(milliseconds(0), true, introspect(url, token))) << url;
    }
  }
  // The admin listing agrees: only the two tokens issued after are active.
  const auto listed = admin.get("/tenants/shared/tokens?active=true");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json().at("items").size(), 2u) << listed.body;
  EXPECT_EQ(first.db.query_value(
                "SELECT count(*) FROM audit_events WHERE action = 'revocation_epoch.set'"),
            "1");
}

TEST_F(RevocationEpochE2eTest, TheCommandRefusesBadTimesTheFutureAndLoweringWithoutForce) {
  const auto unparsable = epoch({"set", "yesterday"});
  EXPECT_EQ(unparsable.exit_code, 2);
  EXPECT_NE(unparsable.err.find("not an RFC 3339 time"), std::string::npos) << unparsable.err;
  EXPECT_EQ(epoch({"set"}).exit_code, 2);
  EXPECT_EQ(epoch({"set", "now", "--sideways"}).exit_code, 2);

  const auto future = domain::to_rfc3339(std::chrono::system_clock::now() + std::chrono::hours(1));
  const auto ahead = epoch({"set", future});
  EXPECT_EQ(ahead.exit_code, 2);
  EXPECT_NE(ahead.err.find("in the future"), std::string::npos) << ahead.err;
  EXPECT_EQ(epoch({"show"}).out, "none\n");

  ASSERT_EQ(epoch({"set", "2026-01-02T03:04:05Z"}).exit_code, 0);
  const auto lower = epoch({"set", "2026-01-01T00:00:00+01:00"});
  EXPECT_EQ(lower.exit_code, 1);
  EXPECT_NE(lower.err.find("--force"), std::string::npos) << lower.err;
  EXPECT_EQ(epoch({"show"}).out, "2026-01-02T03:04:05.000000Z\n");

  const auto forced = epoch({"set", "2026-01-01T00:00:00+01:00", "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(epoch({"show"}).out, "2025-12-31T23:00:00.000000Z\n");
}

}  // namespace
}  // namespace tessera::test
