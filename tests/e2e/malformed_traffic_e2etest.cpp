// Malformed traffic at both listeners (SPEC §3 and §6): thousands of broken
// requests over raw sockets, each answered by a spec-shaped JSON 4xx (a
// malformed request line or header section: 400, or 411, 413, 414, 431,
// with Connection: close) or, for bytes that are not an HTTP request line
// at all, by closing the connection. Never a 5xx, a hang or a crash, and a
// valid client gets its tokens throughout.
#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "e2e/malformed_probes.hpp"

namespace tessera::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kRequestTimeout = 1s;  // TESSERA_REQUEST_TIMEOUT of this suite's server
constexpr auto kAnswerLimit = 6s;     // generous: the machine is busy during the storm

class MalformedTrafficE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AdminServer(Env{{"TESSERA_REQUEST_TIMEOUT", "1s"}});
    fixture_ = new TokenFixture(*server_);
  }
  static void TearDownTestSuite() {
    delete fixture_;
    delete server_;
  }
  void SetUp() override { ASSERT_NE(fixture_, nullptr); }

  static int public_port() { return port_of(server_->server.public_url()); }
  static int admin_port() { return port_of(server_->server.admin_url()); }
  static HttpResult issue_token() {
    return post_token(server_->server.public_url() + "/t/acme/oauth/token", kClientCredentials,
                      {basic_auth(fixture_->main)});
  }

  inline static AdminServer* server_ = nullptr;
  inline static TokenFixture* fixture_ = nullptr;
};

// --- The tests ----------------------------------------------------------------

TEST_F(MalformedTrafficE2eTest, ThousandsOfMalformedRequestsGetJson4xxOrACloseAndNothingElse) {
  const std::string admin_auth = "Authorization: Bearer " + server_->key + "\r\n";
  const std::string client_auth = basic_auth(fixture_->main) + "\r\n";
  const std::vector<Target> targets = {
      {public_port(), "POST", "/t/acme/oauth/token", client_auth},
      {public_port(), "POST", "/t/acme/oauth/introspect", client_auth},
      {public_port(), "POST", "/t/acme/oauth/revoke", client_auth},
      {public_port(), "GET", "/healthz", ""},
      {public_port(), "GET", "/t/acme/.well-known/jwks.json", ""},
      {public_port(), "GET", "/.well-known/oauth-authorization-server/t/acme", ""},
      {admin_port(), "GET", "/admin/v1/tenants", admin_auth},
      {admin_port(), "POST", "/admin/v1/tenants", admin_auth},
      {admin_port(), "GET", "/admin/v1/tenants/acme/clients", admin_auth},
      {admin_port(), "GET", "/healthz", ""},
      {admin_port(), "GET", "/metrics", ""},
  };
  std::vector<Probe> probes;
  for (const auto& target : targets) {
    auto more = malformed_heads(target);
    probes.insert(probes.end(), more.begin(), more.end());
  }
  auto bodies = malformed_bodies(public_port(), fixture_->main);
  probes.insert(probes.end(), bodies.begin(), bodies.end());
  const std::string form = kClientCredentials;
  const std::vector<std::pair<int, std::string>> valid = {
      {public_port(),
       "POST /t/acme/oauth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
       "application/x-www-form-urlencoded\r\nContent-Length: " +
           std::to_string(form.size()) + "\r\n" + client_auth + "\r\n" + form},
      {public_port(), "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: abc\r\n\r\n"},
      {public_port(),
       "GET /t/acme/.well-known/jwks.json HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n"},
      {admin_port(),
       "GET /admin/v1/tenants?limit=5 HTTP/1.1\r\nHost: localhost\r\n" + admin_auth + "\r\n"},
      {admin_port(), "GET /admin/v1/tenants/acme/apis HTTP/1.1\r\nHost: localhost\r\n" +
                         admin_auth + "Accept: application/json\r\n\r\n"},
  };
  auto random = mutations(valid, 1400);
  probes.insert(probes.end(), random.begin(), random.end());
  ASSERT_GE(probes.size(), 2000u);

  // A valid client keeps asking for tokens while the storm goes on.
  std::atomic<bool> storming{true};
  std::atomic<int> issued{0};
  std::vector<std::string> token_failures;
  std::mutex failures_mutex;
  std::thread valid_client([&] {
    while (storming) {
      try {
        const auto response = issue_token();
        if (response.status == 200) {
          ++issued;
        } else {
          std::lock_guard lock(failures_mutex);
          token_failures.push_back(describe(response));
        }
      } catch (const std::exception& e) {  // the server is gone
        std::lock_guard lock(failures_mutex);
        token_failures.push_back(e.what());
      }
      std::this_thread::sleep_for(20ms);
    }
  });

  std::atomic<std::size_t> next{0};
  std::vector<std::string> failures;
  std::vector<std::thread> workers;
  for (int w = 0; w < 8; ++w) {
    workers.emplace_back([&] {
      for (auto i = next++; i < probes.size(); i = next++) {
        const auto& probe = probes[i];
        const auto answer =
            raw_exchange(probe.port, probe.bytes, kAnswerLimit, probe.expect == Expect::refusal);
        if (auto why = check(probe, answer); !why.empty()) {
          std::lock_guard lock(failures_mutex);
          failures.push_back(probe.name + " (port " + std::to_string(probe.port) + "): " + why);
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  storming = false;
  valid_client.join();

  EXPECT_TRUE(failures.empty()) << failures.size() << " of " << probes.size()
                                << " probes failed; the first: " << failures.front();
  EXPECT_TRUE(token_failures.empty())
      << token_failures.size() << " token requests failed; the first: " << token_failures.front();
  EXPECT_GT(issued.load(), 0);
  // And after it.
  ASSERT_TRUE(server_->server.running()) << server_->server.stderr_text().substr(0, 2000);
  EXPECT_TRUE(IsToken(issue_token(), "read write"));
  EXPECT_EQ(http_request("GET", server_->server.admin_url() + "/healthz").status, 200);
}

TEST_F(MalformedTrafficE2eTest, SlowRequestsGet408AndTheConnectionCloses) {
  const std::string partial_head = "POST /t/acme/oauth/token HTTP/1.1\r\nHost: localhost\r\n";
  const std::string partial_body =
      "POST /t/acme/oauth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
      "application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant";
  for (const int port : {public_port(), admin_port()}) {
    for (const auto& bytes : {partial_head, partial_body, std::string("GET /hea")}) {
      SCOPED_TRACE(std::to_string(port) + ": " + bytes);
      const auto started = std::chrono::steady_clock::now();
      const auto answer = raw_exchange(port, bytes, kAnswerLimit, true);
      ASSERT_EQ(answer.kind, RawAnswer::Kind::answered) << answer.raw;
      EXPECT_EQ(answer.response.status, 408);
      EXPECT_TRUE(IsJsonError(answer.response));
      EXPECT_TRUE(answer.closed_after);
      EXPECT_GE(std::chrono::steady_clock::now() - started, kRequestTimeout - 100ms);
    }
  }
  // A head that trickles in a byte every 150 ms never completes in time,
  // however steadily it arrives (slowloris).
  RawConnection slow(public_port());
  ASSERT_TRUE(slow.connected());
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n\r\n";
  const auto started = std::chrono::steady_clock::now();
  std::size_t sent = 0;
  // Stops writing once the server has answered: bytes sent to a closed
  // socket would draw a reset.
  while (sent < request.size() && std::chrono::steady_clock::now() - started < 3s) {
    if (!slow.write(request.substr(sent++, 1)) || slow.readable(150ms)) break;
  }
  const auto answer = slow.read_answer(kAnswerLimit, true);
  ASSERT_EQ(answer.kind, RawAnswer::Kind::answered) << answer.raw;
  EXPECT_EQ(answer.response.status, 408);
  EXPECT_TRUE(IsJsonError(answer.response));
  EXPECT_LT(sent, request.size());
}

TEST_F(MalformedTrafficE2eTest, PipelinedRequestsAreAnsweredInOrderOrRefusedByAClose) {
  // Answered inline, a second request in the same packet is served in order
  // (Pistache 0.0.5 used to drop it silently).
  RawConnection connection(public_port());
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(
      connection.write("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Request-Id: first\r\n\r\n"
                       "GET /healthz HTTP/1.1\r\nHost: a\r\nX-Request-Id: second\r\n\r\n"));
  const auto first = connection.read_answer(kAnswerLimit);
  const auto second = connection.read_answer(kAnswerLimit);
  ASSERT_EQ(first.kind, RawAnswer::Kind::answered);
  ASSERT_EQ(second.kind, RawAnswer::Kind::answered);
  EXPECT_EQ(first.response.header("x-request-id"), "first");
  EXPECT_EQ(second.response.header("x-request-id"), "second");

  // Behind a request that waits for a commit, the next one is not read: the
  // first is answered with Connection: close, and the client retries the
  // second elsewhere (RFC 9112 §9.3.2). Never two answers out of order.
  const std::string form = kClientCredentials;
  const std::string token =
      "POST /t/acme/oauth/token HTTP/1.1\r\nHost: a\r\nContent-Type: "
      "application/x-www-form-urlencoded\r\nContent-Length: " +
      std::to_string(form.size()) + "\r\n" + basic_auth(fixture_->main) + "\r\n\r\n" + form;
  RawConnection pipelined(public_port());
  ASSERT_TRUE(pipelined.write(token + "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"));
  const auto answer = pipelined.read_answer(kAnswerLimit);
  ASSERT_EQ(answer.kind, RawAnswer::Kind::answered) << answer.raw;
  EXPECT_TRUE(IsToken(answer.response, "read write"));
  const auto next = pipelined.read_answer(kAnswerLimit);
  if (next.kind == RawAnswer::Kind::answered) {
    EXPECT_EQ(next.response.status, 200);  // the token was answered before the second arrived
  } else {
    EXPECT_EQ(next.kind, RawAnswer::Kind::closed);
    std::string connection_header = answer.response.header("connection");
    for (auto& c : connection_header)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(connection_header, "close");
  }
}

}  // namespace
}  // namespace tessera::test
