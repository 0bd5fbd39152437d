// Every answer reaches the connection that asked for it, even when other
// clients close their connections while their answers are being made.
//
// Answers finished on a worker or the token batcher are queued to Pistache
// 0.0.5's reactor with the raw descriptor number; a client that closes
// before the reactor writes frees that number, and the next accepted
// connection gets it. The test makes that happen often: "closers" send a
// token request and hang up 0–4 ms later, while "checkers" issue and
// introspect tokens on fresh connections (so they hold the freshly reused
// numbers) and check that each answer is their own: its X-Request-Id, its
// scope, its client.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e/token_fixture.hpp"
#include "support/raw_http.hpp"

namespace tessera::test {
namespace {

using Clock = std::chrono::steady_clock;

// Requests the checking side sends (token + introspection), at least.
// TESSERA_ANSWER_DELIVERY_REQUESTS lowers or raises it for a slow build (the
// sanitized ctest tier sets 15,000: tests/CMakeLists.txt).
long checked_request_target() {
  if (const char* value = std::getenv("TESSERA_ANSWER_DELIVERY_REQUESTS")) {
    return std::stol(value);
  }
  return 100'000;
}

// Each checker waits for its answers, so there are many of them; two
// closers, which never wait, already keep descriptors turning over (more
// only take server time from the checkers).
constexpr int kCheckers = 16;
constexpr int kClosers = 2;

// A client of one tenant that may introspect, with the scopes it may ask for
// (each as the answer spells it: sorted by byte value) and the audience to
// name, if the tenant has no default API.
struct Asker {
  std::string slug;
  TokenClient client;
  std::string audience;
  std::vector<std::string> scopes;
};

std::string raw_post(const std::string& path, const std::string& request_id,
                     const std::string& authorization, const std::string& body) {
  std::string bytes = "POST " + path + " HTTP/1.1\r\n";
  bytes += "Host: 127.0.0.1\r\n";
  bytes += "X-Request-Id: " + request_id + "\r\n";
  bytes += authorization + "\r\n";
  bytes += kFormType + "\r\n";
  bytes += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  return bytes + body;
}

std::string token_request(const Asker& asker, const std::string& scope,
                          const std::string& request_id) {
  std::string body = kClientCredentials + "&scope=" + percent_encode(scope);
  if (!asker.audience.empty()) body += "&audience=" + percent_encode(asker.audience);
  return raw_post("/t/" + asker.slug + "/oauth/token", request_id, basic_auth(asker.client), body);
}

std::string introspection_request(const Asker& asker, const std::string& token,
                                  const std::string& request_id) {
  return raw_post("/t/" + asker.slug + "/oauth/introspect", request_id, basic_auth(asker.client),
                  "token=" + percent_encode(token));
}

// What the checking side saw.
struct Tally {
  std::atomic<long> sent{0};
  std::atomic<long> mismatched{0};  // another request's answer
  std::atomic<long> unexpected{0};  // own answer, but not the expected one
  std::atomic<long> unanswered{0};  // closed or timed out without an answer
  std::mutex mutex;
  std::vector<std::string> examples;

  void note(std::atomic<long>& counter, const std::string& what) {
    counter.fetch_add(1);
    std::lock_guard lock(mutex);
    if (examples.size() < 10) examples.push_back(what);
  }
};

// One request on a fresh connection; false (and counted) unless the answer
// is this request's own, 200 and JSON.
bool exchange(int port, const std::string& bytes, const std::string& request_id, Tally& tally,
              HttpResult& out) {
  tally.sent.fetch_add(1);
  auto answer = raw_exchange(port, bytes, std::chrono::seconds(10));
  if (answer.kind != RawAnswer::Kind::answered) {
    tally.note(tally.unanswered, request_id + ": no answer (" + answer.raw.substr(0, 80) + ")");
    return false;
  }
  out = std::move(answer.response);
  const auto answered_id = out.header("x-request-id");
  if (answered_id != request_id) {
    tally.note(tally.mismatched, request_id + " got the answer of " + answered_id + ": " +
                                     std::to_string(out.status));
    return false;
  }
  if (out.status != 200 || !nlohmann::json::accept(out.body)) {
    tally.note(tally.unexpected, request_id + ": " + describe(out));
    return false;
  }
  return true;
}

// Issues a token with a random scope and introspects it, on two fresh
// connections, until the checking side has sent `target` requests.
void check(int port, const std::vector<Asker>& askers, int index, long target, Tally& tally) {
  std::mt19937 random(static_cast<unsigned>(index) * 7919u + 1u);
  for (long n = 0; tally.sent.load() < target; ++n) {
    const auto& asker = askers[random() % askers.size()];
    const auto& scope = asker.scopes[random() % asker.scopes.size()];
    const auto id = "check-" + std::to_string(index) + "-" + std::to_string(n);

    HttpResult issued;
    if (!exchange(port, token_request(asker, scope, id + "-token"), id + "-token", tally, issued)) {
      continue;
    }
    const auto token = issued.json();
    if (token.value("scope", "") != scope || !token["access_token"].is_string()) {
      tally.note(tally.mismatched, id + "-token asked for \"" + scope + "\": " + issued.body);
      continue;
    }

    HttpResult described;
    if (!exchange(port, introspection_request(asker, token["access_token"], id + "-introspect"),
                  id + "-introspect", tally, described)) {
      continue;
    }
    const auto about = described.json();
    if (about.value("active", false) != true || about.value("scope", "") != scope ||
        about.value("client_id", "") != asker.client.id) {
      tally.note(tally.mismatched, id + "-introspect of a \"" + scope + "\" token of " +
                                       asker.client.id + ": " + described.body);
    }
  }
}

// Sends token requests and closes each connection 0–4 ms later (uniformly),
// without reading, until `stop`: about the time the batcher takes to answer,
// so closes often land while an answer is being queued. Closers never wait
// for an answer, so they are paced: at most one of their requests for every
// two checked ones. Unpaced, they flooded a sanitized server, whose queue
// then held their requests far longer than 4 ms and starved the checkers.
void close_early(int port, const std::vector<Asker>& askers, int index, const Tally& checked,
                 std::atomic<long>& closed_early, const std::atomic<bool>& stop) {
  std::mt19937 random(static_cast<unsigned>(index) * 104729u + 3u);
  for (long n = 0; !stop.load();) {
    if (closed_early.load() * 2 > checked.sent.load()) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      continue;
    }
    const auto& asker = askers[random() % askers.size()];
    const auto& scope = asker.scopes[random() % asker.scopes.size()];
    const auto id = "closer-" + std::to_string(index) + "-" + std::to_string(n);
    RawConnection connection(port);
    if (!connection.connected()) continue;
    connection.write(token_request(asker, scope, id));
    ++n;
    closed_early.fetch_add(1);
    std::this_thread::sleep_for(std::chrono::microseconds(random() % 4001));
  }  // the connection closes here
}

// The value of one sample of the admin port's /metrics, or -1 if absent.
long metric(const std::string& exposition, const std::string& sample) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(sample + " ", 0) == 0) return std::stol(line.substr(sample.size() + 1));
  }
  return -1;
}

std::string dropped(const std::string& reason) {
  return "tessera_http_answers_dropped_total{listener=\"public\",reason=\"" + reason + "\"}";
}

class AnswerDeliveryE2eTest : public TokenSuite<AnswerDeliveryE2eTest> {
 protected:
  // A client of acme with every scope of its default API, and one of solo
  // with both scopes of its jobs API; both may introspect.
  static std::vector<Asker> askers() {
    const auto& f = fx();
    Asker acme;
    acme.slug = f.slug;
    acme.client = f.create_client(f.slug, "Delivery acme", "");
    acme.scopes = {"read",       "write",       "admin",           "read write",
                   "admin read", "admin write", "admin read write"};
    f.grant(f.slug, acme.client, f.api_id, {"read", "write", "admin"});
    Asker solo;
    solo.slug = f.solo_slug;
    solo.client = f.create_client(f.solo_slug, "Delivery solo", "");
    solo.audience = f.solo_api_identifier;
    solo.scopes = {"jobs:read", "jobs:run", "jobs:read jobs:run"};
    f.grant(f.solo_slug, solo.client, f.solo_api_id, {"jobs:read", "jobs:run"});
    for (const auto* asker : {&acme, &solo}) {
      const auto patched = f.admin().patch(
          "/tenants/" + asker->slug + "/clients/" + asker->client.id, {{"can_introspect", true}});
      if (patched.status != 200) throw std::runtime_error("set-up: " + describe(patched));
    }
    return {acme, solo};
  }
};

TEST_F(AnswerDeliveryE2eTest, EveryAnswerReachesItsOwnConnectionWhileOthersHangUp) {
  const auto asking = askers();
  const int port = port_of(server_->server.public_url());
  const long target = checked_request_target();

  Tally tally;
  std::atomic<bool> stop{false};
  std::atomic<long> closed_early{0};
  const auto start = Clock::now();
  std::vector<std::thread> closers;
  for (int i = 0; i < kClosers; ++i) {
    closers.emplace_back([&, i] { close_early(port, asking, i, tally, closed_early, stop); });
  }
  std::vector<std::thread> checkers;
  for (int i = 0; i < kCheckers; ++i) {
    checkers.emplace_back([&, i] { check(port, asking, i, target, tally); });
  }
  for (auto& thread : checkers) thread.join();
  stop = true;
  for (auto& thread : closers) thread.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  // Answers to the closers may still be on their way; let them settle.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto metrics = http_request("GET", server_->server.admin_url() + "/metrics");
  ASSERT_EQ(metrics.status, 200) << describe(metrics);
  const long reused = metric(metrics.body, dropped("descriptor_reused"));
  const long closed = metric(metrics.body, dropped("connection_closed"));
  const long too_old = metric(metrics.body, dropped("too_old"));

  std::cout << "[ figures  ] " << tally.sent << " checked requests (" << tally.mismatched
            << " answered with another request's answer, " << tally.unexpected << " unexpected, "
            << tally.unanswered << " unanswered), " << closed_early << " requests closed early, in "
            << seconds << " s\n"
            << "[ figures  ] answers dropped: descriptor_reused " << reused
            << ", connection_closed " << closed << ", too_old " << too_old << std::endl;
  for (const auto& example : tally.examples) std::cout << "[ example  ] " << example << "\n";
  RecordProperty("checked_requests", std::to_string(tally.sent.load()));
  RecordProperty("mismatched", std::to_string(tally.mismatched.load()));
  RecordProperty("closed_early", std::to_string(closed_early.load()));
  RecordProperty("dropped_descriptor_reused", std::to_string(reused));
  RecordProperty("dropped_connection_closed", std::to_string(closed));

  // A dropped answer still gives its request's log line, marked; and no
  // checker's answer was dropped (their connections were alive).
  long dropped_lines = 0;
  long checker_lines = 0;
  std::istringstream log(server_->server.stderr_text());
  for (std::string line; std::getline(log, line);) {
    if (line.find(" dropped=") == std::string::npos) continue;
    ++dropped_lines;
    if (line.find(" request_id=check-") != std::string::npos) ++checker_lines;
  }
  std::cout << "[ figures  ] log lines marked dropped: " << dropped_lines << std::endl;

  EXPECT_GE(tally.sent.load(), target);
  EXPECT_EQ(tally.mismatched.load(), 0) << "answers reached the wrong connection";
  EXPECT_EQ(tally.unexpected.load(), 0);
  EXPECT_EQ(tally.unanswered.load(), 0);
  // Descriptors were reused while answers for them were pending: the
  // situation the test is about did arise.
  EXPECT_GT(reused, 0) << "no answer was dropped for a reused descriptor";
  EXPECT_EQ(too_old, 0);
  EXPECT_EQ(dropped_lines, reused + closed + too_old);
  EXPECT_EQ(checker_lines, 0);
}

}  // namespace
}  // namespace tessera::test
