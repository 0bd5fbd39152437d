// Invalidation across instances under faults (SPEC §4–§6): a change made
// through instance A reaches instance B's caches even when B's listening
// connection dies silently or loudly, when A's connection breaks at the
// moment it would announce the change, and when A is killed right after the
// change committed. B reaches PostgreSQL through a TcpProxy, which plays the
// network.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <future>
#include <iostream>
#include <optional>
#include <thread>

#include "crypto/jws.hpp"
#include "e2e/admin_api.hpp"
#include "e2e/token_fixture.hpp"
#include "support/tcp_proxy.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// SPEC §6: within 3 s of a listener loss; within 1 s while connected.
constexpr milliseconds kAfterListenerLoss{3000};
constexpr milliseconds kWhileConnected{1000};

int port_of_database(const std::string& url) {
  const auto host = url.find("127.0.0.1:");
  return std::stoi(url.substr(host + 10));
}

struct Client {
  std::string id;
  std::string secret;
};

// The kid in a JWT's header, "" when it is not a JWT.
std::string kid_of(const std::string& token) {
  const auto parts = crypto::jws_split(token);
  if (!parts) return "";
  const auto header = json::parse(parts->header_json, nullptr, false);
  return header.is_object() && header.contains("kid") ? header["kid"].get<std::string>() : "";
}

// Tenant "shared" (JWT tokens) with one API and three clients granted
// `read`: `introspector` holds the token that gets revoked, `rotated` loses
// the secret it uses (it has a newer one), `disabled` is disabled.
class Scenario {
 public:
  explicit Scenario(const AdminApi& admin) : admin_(admin) {
    EXPECT_EQ(
        admin.post("/tenants", {{"slug", "shared"}, {"name", "Shared"}, {"token_format", "jwt"}})
            .status,
        201);
    const auto api = admin.post("/tenants/shared/apis", {{"identifier", "https://api.shared.test"},
                                                         {"name", "Shared API"},
                                                         {"scopes", {{{"value", "read"}}}},
                                                         {"is_default", true}});
    EXPECT_EQ(api.status, 201);
    api_id_ = std::to_string(api.json().at("id").get<long>());
    introspector = client("introspector", true);
    rotated = client("rotated", false);
    disabled = client("disabled", false);
    // A second secret, so that the first one (the one in use) may be revoked.
    EXPECT_EQ(
        admin.post("/tenants/shared/clients/" + rotated.id + "/secrets", {{"grace_seconds", 86400}})
            .status,
        201);
  }

  // Fills `server`'s caches with everything the changes below touch.
  void warm(const std::string& server) {
    token = access_token_of(issue(server, introspector));
    ASSERT_FALSE(token.empty());
    ASSERT_TRUE(active(server));
    ASSERT_TRUE(active(server));  // the record is cached now
    ASSERT_EQ(issue(server, rotated).status, 200);
    ASSERT_EQ(issue(server, disabled).status, 200);
    kid_before = kid_of(token);
    ASSERT_FALSE(kid_before.empty());
  }

  // The four changes, through the admin API of one instance.
  void revoke_token() {
    const auto jti =
        json::parse(crypto::jws_split(token)->payload_json).at("jti").get<std::string>();
    ASSERT_EQ(admin_.del("/tenants/shared/tokens/" + jti).status, 204);
  }
  void revoke_secret() {
    const auto secrets = admin_.get("/tenants/shared/clients/" + rotated.id + "/secrets").json();
    long first = -1;
    for (const auto& secret : secrets.at("items")) {
      const auto id = secret.at("id").get<long>();
      if (first < 0 || id < first) first = id;
    }
    const auto id = std::to_string(first);
    ASSERT_EQ(admin_.del("/tenants/shared/clients/" + rotated.id + "/secrets/" + id).status, 204);
  }
  void disable_client() {
    ASSERT_EQ(
        admin_.patch("/tenants/shared/clients/" + disabled.id, {{"status", "disabled"}}).status,
        200);
  }
  void rotate_keys() {
    ASSERT_EQ(admin_.post("/tenants/shared/signing-keys/rotate", json::object()).status, 200);
  }

  // What `server` answers now, for each change.
  bool token_inactive(const std::string& server) { return !active(server); }
  bool secret_refused(const std::string& server) { return issue(server, rotated).status == 401; }
  bool client_refused(const std::string& server) { return issue(server, disabled).status == 401; }
  bool new_key_signs(const std::string& server) {
    const auto kid = kid_of(access_token_of(issue(server, introspector)));
    return !kid.empty() && kid != kid_before;
  }

  Client introspector, rotated, disabled;
  std::string token;
  std::string kid_before;

 private:
  Client client(const std::string& name, bool can_introspect) {
    const auto made = admin_.post("/tenants/shared/clients",
                                  {{"name", name}, {"can_introspect", can_introspect}});
    EXPECT_EQ(made.status, 201);
    Client c{made.json().at("client_id"), made.json().at("client_secret")};
    EXPECT_EQ(
        admin_.put("/tenants/shared/clients/" + c.id + "/grants/" + api_id_, {{"scopes", {"read"}}})
            .status,
        200);
    return c;
  }
  HttpResult issue(const std::string& server, const Client& c) {
    return post_token(server + "/t/shared/oauth/token", kClientCredentials,
                      {basic_auth(c.id, c.secret)});
  }
  bool active(const std::string& server) {
    const auto r = post_token(server + "/t/shared/oauth/introspect", "token=" + token,
                              {basic_auth(introspector.id, introspector.secret)});
    return r.status == 200 && r.json().at("active").get<bool>();
  }

  const AdminApi& admin_;
  std::string api_id_;
};

// How long after `since` `holds` first became true (polling every 20 ms),
// or nullopt if not within `limit`.
std::optional<milliseconds> seen_within(Clock::time_point since, milliseconds limit,
                                        const std::function<bool()>& holds) {
  while (true) {
    if (holds()) return std::chrono::duration_cast<milliseconds>(Clock::now() - since);
    if (Clock::now() - since > limit) return std::nullopt;
    std::this_thread::sleep_for(milliseconds(20));
  }
}

// Makes all four changes through `admin` and checks that `server` reflects
// each within `limit` of `since`; prints each delay.
void expect_changes_seen(Scenario& scenario, const std::string& server, Clock::time_point since,
                         milliseconds limit, const std::string& label) {
  scenario.revoke_token();
  scenario.revoke_secret();
  scenario.disable_client();
  scenario.rotate_keys();
  const std::pair<const char*, std::function<bool()>> checks[] = {
      {"revoked token inactive", [&] { return scenario.token_inactive(server); }},
      {"revoked secret refused", [&] { return scenario.secret_refused(server); }},
      {"disabled client refused", [&] { return scenario.client_refused(server); }},
      {"rotated key signs", [&] { return scenario.new_key_signs(server); }},
  };
  for (const auto& [what, holds] : checks) {
    const auto delay = seen_within(since, limit, holds);
    EXPECT_TRUE(delay.has_value())
        << label << ": " << what << " not seen within " << limit.count() << " ms";
    if (delay)
      std::cout << "[ figures ] " << label << ": " << what << " after " << delay->count()
                << " ms\n";
  }
}

class ChangeFeedFaultsE2eTest : public ::testing::Test {
 protected:
  TestDatabase db;
  std::string key = create_superadmin_key(db.url());
  TcpProxy proxy{port_of_database(db.url())};
};

TEST_F(ChangeFeedFaultsE2eTest, ASilentlyDeadListenerStopsTrustingItsCachesWithinThreeSeconds) {
  ServerProcess a(db.url());
  ServerProcess b(proxy.through(db.url()));
  AdminApi admin(a.admin_url(), key);
  Scenario scenario(admin);
  scenario.warm(b.public_url());

  // B's listening connection goes silent: no FIN, no RST, no more bytes.
  const auto cut = Clock::now();
  ASSERT_FALSE(proxy.freeze_connections_that_sent("LISTEN").empty());
  expect_changes_seen(scenario, b.public_url(), cut, kAfterListenerLoss, "silent cut");
}

TEST_F(ChangeFeedFaultsE2eTest, ATerminatedListenerResynchronisesWithinThreeSeconds) {
  ServerProcess a(db.url());
  ServerProcess b(proxy.through(db.url()));
  AdminApi admin(a.admin_url(), key);
  Scenario scenario(admin);
  scenario.warm(b.public_url());

  const auto ports = proxy.ports_of_connections_that_sent("LISTEN");
  ASSERT_FALSE(ports.empty());
  const auto cut = Clock::now();
  for (const int port : ports) {
    EXPECT_EQ(db.query_value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                             "WHERE client_port = " +
                             std::to_string(port)),
              "1");
  }
  expect_changes_seen(scenario, b.public_url(), cut, kAfterListenerLoss, "terminated");
}

TEST_F(ChangeFeedFaultsE2eTest, AChangeIsAnnouncedEvenWhenTheAnnouncingConnectionBreaks) {
  // A reaches PostgreSQL through the proxy, which cuts the connection of the first statement
  // that sends a notification from a connection other than a listener's:
  // a change announced after its commit, on a separate statement, is lost
  // with it. B listens normally.
  ServerProcess a(proxy.through(db.url()));
  ServerProcess b(db.url());
  AdminApi admin(a.admin_url(), key);
  Scenario scenario(admin);
  scenario.warm(b.public_url());

  proxy.fault_next("pg_notify", "LISTEN", TcpProxy::Fault::cut);
  const auto changed = Clock::now();
  expect_changes_seen(scenario, b.public_url(), changed, kWhileConnected, "announcement lost");
}

TEST_F(ChangeFeedFaultsE2eTest, AChangeCommittedRightBeforeItsInstanceIsKilledIsStillSeen) {
  auto a = std::make_unique<ServerProcess>(proxy.through(db.url()));
  ServerProcess b(db.url());
  AdminApi admin(a->admin_url(), key);
  Scenario scenario(admin);
  scenario.warm(b.public_url());

  // A commits the change and is killed before any statement after the
  // commit reaches PostgreSQL.
  proxy.fault_next("pg_notify", "LISTEN", TcpProxy::Fault::freeze);
  auto disabling = std::async(std::launch::async, [&] {
    return admin.patch("/tenants/shared/clients/" + scenario.disabled.id, {{"status", "disabled"}});
  });
  const auto deadline = Clock::now() + std::chrono::seconds(3);
  while (!proxy.fired() && Clock::now() < deadline) std::this_thread::sleep_for(milliseconds(5));
  // Committed by now whether or not anything was held: the commit comes
  // before any announcement after it.
  std::this_thread::sleep_for(milliseconds(200));
  a->kill_now();
  const auto killed = Clock::now();
  disabling.wait();
  EXPECT_EQ(
      db.query_value("SELECT status FROM clients WHERE client_id = '" + scenario.disabled.id + "'"),
      "disabled");
  const auto delay =
      seen_within(killed, kWhileConnected, [&] { return scenario.client_refused(b.public_url()); });
  EXPECT_TRUE(delay.has_value()) << "B still issues tokens to a client disabled through A";
  if (delay)
    std::cout << "[ figures ] killed after commit: disabled client refused after " << delay->count()
              << " ms\n";
}

}  // namespace
}  // namespace tessera::test
