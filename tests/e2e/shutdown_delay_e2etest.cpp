// Rolling deploys (SPEC §6): SIGTERM turns /readyz to 503 at once, requests
// are still served for TESSERA_SHUTDOWN_DELAY, then the listeners stop
// accepting, requests in flight finish, and the process exits 0.
#include <signal.h>

#include <chrono>
#include <future>
#include <pqxx/pqxx>
#include <thread>

#include "e2e/token_fixture.hpp"
#include "support/raw_http.hpp"

namespace tessera::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Polls `url` until it answers `status` or `limit` has passed; the answer's
// status, or 0 when the server could not be reached.
long wait_for_status(const std::string& url, long status, Clock::time_point limit) {
  long last = 0;
  while (true) {
    try {
      last = http_request("GET", url).status;
    } catch (const std::exception&) {
      last = 0;
    }
    if (last == status || Clock::now() >= limit) return last;
    std::this_thread::sleep_for(milliseconds(10));
  }
}

// Waits for the server to exit; false if it still runs at `limit`.
bool wait_for_exit(ServerProcess& server, Clock::time_point limit) {
  while (server.running()) {
    if (Clock::now() >= limit) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

bool accepts_connections(const std::string& url) {
  RawConnection connection(port_of(url));
  return connection.connected();
}

TEST(ShutdownDelayE2eTest, ReadyzTurns503AtOnceWhileRequestsAreServedForTheDelay) {
  AdminServer s(Env{{"TESSERA_SHUTDOWN_DELAY", "2s"}});
  TokenFixture fx(s);
  const auto pub = s.server.public_url();
  const auto adm = s.server.admin_url();
  const auto token_url = pub + "/t/acme/oauth/token";
  ASSERT_TRUE(IsJsonAnswer(post_token(token_url, kClientCredentials, {basic_auth(fx.main)}), 200));

  const auto signalled = Clock::now();
  ASSERT_EQ(kill(s.server.pid(), SIGTERM), 0);
  // Within 200 ms both listeners tell load balancers to look elsewhere...
  EXPECT_EQ(wait_for_status(pub + "/readyz", 503, signalled + milliseconds(200)), 503);
  EXPECT_EQ(wait_for_status(adm + "/readyz", 503, signalled + milliseconds(200)), 503);
  // ...while everything else is still served, on new connections too.
  EXPECT_TRUE(IsJsonAnswer(post_token(token_url, kClientCredentials, {basic_auth(fx.main)}), 200));
  EXPECT_EQ(http_request("GET", pub + "/healthz").status, 200);
  EXPECT_EQ(http_request("GET", adm + "/healthz").status, 200);
  EXPECT_EQ(http_request("GET", pub + "/readyz").header("retry-after").empty(), false);
  std::this_thread::sleep_for(signalled + milliseconds(1500) - Clock::now());
  EXPECT_TRUE(s.server.running());
  EXPECT_TRUE(IsJsonAnswer(post_token(token_url, kClientCredentials, {basic_auth(fx.main)}), 200));

  // After the delay: no new connections, and a prompt exit 0.
  ASSERT_TRUE(wait_for_exit(s.server, signalled + milliseconds(4000))) << s.server.stderr_text();
  EXPECT_GE(Clock::now() - signalled, milliseconds(1900));
  EXPECT_EQ(s.server.terminate(), 0) << s.server.stderr_text();
  EXPECT_FALSE(accepts_connections(pub));
  EXPECT_FALSE(accepts_connections(adm));
}

TEST(ShutdownDelayE2eTest, WithTheDefaultDelaySigtermExitsPromptly) {
  AdminServer s;
  const auto signalled = Clock::now();
  ASSERT_EQ(kill(s.server.pid(), SIGTERM), 0);
  ASSERT_TRUE(wait_for_exit(s.server, signalled + milliseconds(1500))) << s.server.stderr_text();
  EXPECT_EQ(s.server.terminate(), 0) << s.server.stderr_text();
}

TEST(ShutdownDelayE2eTest, ASecondSignalEndsTheDelayEarly) {
  for (int second : {SIGTERM, SIGINT}) {
    SCOPED_TRACE(second);
    AdminServer s(Env{{"TESSERA_SHUTDOWN_DELAY", "1m"}});
    ASSERT_EQ(kill(s.server.pid(), SIGTERM), 0);
    EXPECT_EQ(
        wait_for_status(s.server.public_url() + "/readyz", 503, Clock::now() + milliseconds(1000)),
        503);
    const auto signalled = Clock::now();
    ASSERT_EQ(kill(s.server.pid(), second), 0);
    ASSERT_TRUE(wait_for_exit(s.server, signalled + milliseconds(1500))) << s.server.stderr_text();
    EXPECT_EQ(s.server.terminate(), 0) << s.server.stderr_text();
  }
}

// Once the delay is over the listeners stop accepting, while a request
// still in flight is finished and answered.
TEST(ShutdownDelayE2eTest, AfterTheDelayNewConnectionsAreRefusedWhileInFlightRequestsFinish) {
  AdminServer s;
  AdminApi admin(s);
  ASSERT_TRUE(IsJsonAnswer(admin.post("/tenants", {{"slug", "inflight"}, {"name", "I"}}), 201));
  // Hold the clients table so that creating one is still in flight.
  pqxx::connection blocker(s.db.url());
  pqxx::work lock(blocker);
  lock.exec("LOCK TABLE clients IN EXCLUSIVE MODE");
  auto pending = std::async(std::launch::async, [&admin] {
    return admin.post("/tenants/inflight/clients", {{"name", "Late"}});
  });
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  bool waiting = false;
  while (!waiting && Clock::now() < deadline) {
    waiting =
        s.db.query_value(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database() AND query ILIKE '%INSERT INTO clients%'") != "0";
    if (!waiting) std::this_thread::sleep_for(milliseconds(10));
  }
  if (!waiting) {
    lock.abort();
    FAIL() << "the request never reached the insert";
  }

  ASSERT_EQ(kill(s.server.pid(), SIGTERM), 0);
  std::this_thread::sleep_for(milliseconds(300));
  ASSERT_TRUE(s.server.running()) << "the server exited with a request in flight";
  EXPECT_FALSE(accepts_connections(s.server.public_url()));
  EXPECT_FALSE(accepts_connections(s.server.admin_url()));

  lock.commit();
  EXPECT_TRUE(IsJsonAnswer(pending.get(), 201));
  EXPECT_EQ(s.server.terminate(), 0) << s.server.stderr_text();
}

}  // namespace
}  // namespace tessera::test
