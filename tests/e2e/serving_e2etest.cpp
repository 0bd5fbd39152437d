// How `tessera serve` handles every request, whatever the endpoint (SPEC §2
// and §6): request ids, keep-alive, the body limit, readiness, one log line
// per request, and a SIGTERM that lets requests in flight finish.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <map>
#include <pqxx/pqxx>
#include <set>
#include <sstream>
#include <thread>

#include "e2e/admin_api.hpp"
#include "support/raw_http.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The log lines that carry `field=value` (text format) as a whole word.
std::vector<std::string> text_lines_with(const std::string& log, const std::string& field_value) {
  std::vector<std::string> found;
  for (const auto& line : lines_of(log)) {
    std::istringstream words(line);
    for (std::string word; words >> word;) {
      if (word == field_value) {
        found.push_back(line);
        break;
      }
    }
  }
  return found;
}

// Waits (at most 5 s) until the server's stderr holds `needle`: a request's
// log line is written right after its answer is sent.
bool wait_for_log(const ServerProcess& server, const std::string& needle) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (server.stderr_text().find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

class ServingE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    shared_ = new AdminServer();
    // A tenant, so that public requests pass routing (SPEC §3.1: an unknown
    // tenant is 404 before a body is 413).
    auto created = AdminApi(*shared_).post("/tenants", {{"slug", "serving"}, {"name", "Serving"}});
    tenant_created_ = created.status == 201;
  }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(shared_, nullptr) << "the shared server did not start";
    ASSERT_TRUE(tenant_created_);
  }

  static const ServerProcess& server() { return shared_->server; }
  static std::string token_url() { return shared_->server.public_url() + "/t/serving/oauth/token"; }
  static std::string auth() { return "Authorization: Bearer " + shared_->key; }

  static AdminServer* shared_;
  static bool tenant_created_;
};

AdminServer* ServingE2eTest::shared_ = nullptr;
bool ServingE2eTest::tenant_created_ = false;

TEST_F(ServingE2eTest, EveryAnswerCarriesARequestIdOfItsOwn) {
  const auto pub = server().public_url();
  const auto adm = server().admin_url();
  struct Request {
    std::string method;
    std::string url;
    std::vector<std::string> headers;
  };
  const std::vector<Request> requests = {
      {"GET", pub + "/healthz", {}},          {"GET", pub + "/readyz", {}},
      {"GET", pub + "/no/such/path", {}},     {"POST", pub + "/healthz", {}},
      {"GET", adm + "/healthz", {}},          {"GET", adm + "/admin/v1/nothing", {auth()}},
      {"GET", adm + "/admin/v1/tenants", {}}, {"GET", adm + "/admin/v1/tenants", {auth()}},
  };
  std::set<std::string> ids;
  for (const auto& r : requests) {
    SCOPED_TRACE(r.method + " " + r.url);
    auto response = http_request(r.method, r.url, "", r.headers);
    const auto id = response.header("x-request-id");
    EXPECT_FALSE(id.empty());
    EXPECT_LE(id.size(), 128u);
    EXPECT_TRUE(ids.insert(id).second) << "the id " << id << " was given twice";
  }
}

TEST_F(ServingE2eTest, AValidIncomingRequestIdIsEchoed) {
  for (const auto& id :
       {std::string("a"), std::string("trace-42_ok.x:y/z=1"), std::string(128, 'r')}) {
    for (const auto& url :
         {server().public_url() + "/healthz", server().admin_url() + "/admin/v1/tenants"}) {
      SCOPED_TRACE(url + " " + id);
      auto response = http_request("GET", url, "", {"X-Request-Id: " + id, auth()});
      EXPECT_EQ(response.header("x-request-id"), id);
    }
  }
}

TEST_F(ServingE2eTest, AnOverlongIncomingRequestIdIsReplaced) {
  for (std::size_t length : {129u, 200u}) {
    const std::string id(length, 'x');
    SCOPED_TRACE(length);
    auto response =
        http_request("GET", server().public_url() + "/healthz", "", {"X-Request-Id: " + id});
    const auto answered = response.header("x-request-id");
    EXPECT_NE(answered, id);
    EXPECT_FALSE(answered.empty());
    EXPECT_LE(answered.size(), 128u);
  }
}

TEST_F(ServingE2eTest, AnHttp11RequestWithoutConnectionHeaderIsKeptAlive) {
  // libcurl sends no Connection header with HTTP/1.1, where keep-alive is
  // the default (RFC 9112 §9.3).
  const std::vector<std::pair<std::string, std::vector<std::string>>> requests = {
      {server().public_url() + "/healthz", {}},
      {server().public_url() + "/no/such/path", {}},
      {server().admin_url() + "/admin/v1/tenants", {auth()}},
      {server().admin_url() + "/admin/v1/tenants", {}},
  };
  for (const auto& [url, headers] : requests) {
    SCOPED_TRACE(url);
    auto response = http_request("GET", url, "", headers);
    EXPECT_NE(response.status, 0);
    EXPECT_NE(lower(response.header("connection")), "close");
  }

  // And the connection really serves a second request.
  const std::vector<std::pair<int, std::string>> connections = {
      {port_of(server().public_url()), "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"},
      {port_of(server().admin_url()),
       "GET /admin/v1/tenants HTTP/1.1\r\nHost: localhost\r\n" + auth() + "\r\n\r\n"},
  };
  for (const auto& [port, request] : connections) {
    SCOPED_TRACE(request);
    RawConnection connection(port);
    ASSERT_TRUE(connection.connected());
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(connection.write(request));
      const auto answer = connection.read_answer(std::chrono::seconds(5));
      EXPECT_EQ(answer.raw.rfind("HTTP/1.1 200", 0), 0u) << "answer " << i << ": " << answer.raw;
      EXPECT_EQ(lower(answer.raw).find("\r\nconnection: close"), std::string::npos) << answer.raw;
    }
  }
}

TEST_F(ServingE2eTest, ABodyOver64KiBIs413WithJsonAndOneAtTheLimitIsNot) {
  struct Case {
    std::string url;
    std::size_t size;
    bool too_large;
  };
  const auto tenants = server().admin_url() + "/admin/v1/tenants";
  const auto token = token_url();
  const std::vector<Case> cases = {
      {tenants, 64 * 1024 + 1, true}, {tenants, 200 * 1024, true},  {tenants, 64 * 1024, false},
      {tenants, 32 * 1024, false},    {token, 64 * 1024 + 1, true}, {token, 32 * 1024, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.url + " " + std::to_string(c.size));
    // A JSON object with a name far too long: refused later, with 400.
    std::string body = R"({"slug":"big","name":")";
    body += std::string(c.size - body.size() - 2, 'n') + "\"}";
    ASSERT_EQ(body.size(), c.size);
    auto response = http_request("POST", c.url, body, {auth(), "Content-Type: application/json"});
    if (c.too_large) {
      EXPECT_EQ(response.status, 413);
      EXPECT_TRUE(is_json_content_type(response)) << response.header("content-type");
      ASSERT_TRUE(json::accept(response.body)) << response.body;
      EXPECT_TRUE(response.json()["error"].is_string()) << response.body;
    } else {
      EXPECT_NE(response.status, 413);
      EXPECT_GE(response.status, 400) << response.body;
    }
  }
  EXPECT_EQ(shared_->db.query_value("SELECT count(*) FROM tenants WHERE slug = 'big'"), "0");
}

TEST_F(ServingE2eTest, ReadyzAnswers200WhenTheDatabaseIsReachable) {
  for (const auto& url : {server().public_url() + "/readyz", server().admin_url() + "/readyz"}) {
    SCOPED_TRACE(url);
    EXPECT_EQ(http_request("GET", url).status, 200);
  }
}

TEST_F(ServingE2eTest, EachRequestWritesOneInfoLineWithItsFields) {
  struct Case {
    std::string method;
    std::string url;
    std::string body;
    std::vector<std::string> headers;
    std::string path;
    int status;
  };
  const auto pub = server().public_url();
  const auto adm = server().admin_url();
  const std::vector<Case> cases = {
      {"GET", adm + "/admin/v1/tenants", "", {auth()}, "/admin/v1/tenants", 200},
      {"POST",
       adm + "/admin/v1/tenants",
       R"({"slug":"logged","name":"L"})",
       {auth()},
       "/admin/v1/tenants",
       201},
      {"GET", adm + "/admin/v1/tenants", "", {}, "/admin/v1/tenants", 401},
      {"GET", adm + "/admin/v1/elsewhere", "", {auth()}, "/admin/v1/elsewhere", 404},
      {"PUT", adm + "/admin/v1/tenants", "", {auth()}, "/admin/v1/tenants", 405},
      {"GET", pub + "/no/such/path", "", {}, "/no/such/path", 404},
      {"POST", token_url(), std::string(70000, 'a'), {}, "/t/serving/oauth/token", 413},
      // Refused by the listener before routing, and still logged.
      {"POST",
       adm + "/admin/v1/nowhere",
       std::string(70000, 'a'),
       {auth()},
       "/admin/v1/nowhere",
       413},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    SCOPED_TRACE(c.method + " " + c.url);
    const auto id = "log-line-" + std::to_string(i) + "-" + unique_name("id");
    auto headers = c.headers;
    headers.push_back("X-Request-Id: " + id);
    auto response = http_request(c.method, c.url, c.body, headers);
    EXPECT_EQ(response.status, c.status) << response.body;
    ASSERT_TRUE(wait_for_log(server(), "request_id=" + id)) << server().stderr_text();
    const auto lines = text_lines_with(server().stderr_text(), "request_id=" + id);
    ASSERT_EQ(lines.size(), 1u) << server().stderr_text();
    const auto& line = lines[0];
    EXPECT_FALSE(text_lines_with(line, "info").empty()) << line;
    EXPECT_FALSE(text_lines_with(line, "method=" + c.method).empty()) << line;
    EXPECT_FALSE(text_lines_with(line, "path=" + c.path).empty()) << line;
    EXPECT_FALSE(text_lines_with(line, "status=" + std::to_string(c.status)).empty()) << line;
    EXPECT_NE(line.find(" latency_ms="), std::string::npos) << line;
  }
}

TEST_F(ServingE2eTest, HealthProbesAreNotLoggedAtInfoLevel) {
  const auto probe_id = unique_name("probe");
  for (const auto& url : {server().public_url() + "/healthz", server().public_url() + "/readyz",
                          server().admin_url() + "/healthz"}) {
    EXPECT_EQ(http_request("GET", url, "", {"X-Request-Id: " + probe_id}).status, 200);
  }
  // A later request's line is written after the probes' would have been.
  const auto later_id = unique_name("later");
  http_request("GET", server().public_url() + "/nowhere", "", {"X-Request-Id: " + later_id});
  ASSERT_TRUE(wait_for_log(server(), "request_id=" + later_id));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(server().stderr_text().find(probe_id), std::string::npos) << server().stderr_text();
}

TEST(ServingLogsE2eTest, JsonLogsAreOneObjectPerLineAndProbesAreDebug) {
  TestDatabase db;
  const auto key = create_superadmin_key(db.url());
  ServerProcess server(db.url(), {{"TESSERA_LOG_FORMAT", "json"}, {"TESSERA_LOG_LEVEL", "debug"}});
  const auto auth = "Authorization: Bearer " + key;
  struct Case {
    std::string method;
    std::string base;
    std::string path;
    std::string body;
    int status;
  };
  const auto pub = server.public_url();
  const auto adm = server.admin_url();
  const std::vector<Case> cases = {
      {"GET", pub, "/healthz", "", 200},
      {"GET", adm, "/admin/v1/tenants", "", 200},
      {"POST", adm, "/admin/v1/tenants", R"({"slug":"json-log","name":"J"})", 201},
      {"GET", adm, "/admin/v1/tenants/json-log/clients/nope", "", 404},
      {"POST", pub, "/t/json-log/oauth/token", std::string(70000, 'a'), 413},
  };
  std::vector<std::string> ids;
  for (const auto& c : cases) {
    ids.push_back(unique_name("json"));
    auto response =
        http_request(c.method, c.base + c.path, c.body, {auth, "X-Request-Id: " + ids.back()});
    EXPECT_EQ(response.status, c.status) << c.path << " " << response.body;
  }
  for (const auto& id : ids) ASSERT_TRUE(wait_for_log(server, id)) << server.stderr_text();
  ASSERT_EQ(server.terminate(), 0);

  std::map<std::string, std::vector<json>> by_request_id;
  const auto log = server.stderr_text();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.back(), '\n');
  for (const auto& line : lines_of(log)) {
    ASSERT_TRUE(json::accept(line)) << "not JSON: " << line;
    const auto object = json::parse(line);
    ASSERT_TRUE(object.is_object()) << line;
    EXPECT_TRUE(object.contains("msg") && object["msg"].is_string()) << line;
    EXPECT_TRUE(object.contains("level") && object["level"].is_string()) << line;
    EXPECT_TRUE(is_rfc3339_utc(object.value("time", json()))) << line;
    if (object.contains("request_id") && object["msg"] == "request") {
      by_request_id[object["request_id"].get<std::string>()].push_back(object);
    }
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].method + " " + cases[i].path);
    const auto& lines = by_request_id[ids[i]];
    ASSERT_EQ(lines.size(), 1u);
    const auto& line = lines[0];
    EXPECT_EQ(line["method"], cases[i].method);
    EXPECT_EQ(line["status"], cases[i].status);
    EXPECT_EQ(line["path"], cases[i].path);
    EXPECT_EQ(line["request_id"], ids[i]);
    EXPECT_TRUE(line["latency_ms"].is_number()) << line;
    EXPECT_GE(line["latency_ms"].get<double>(), 0.0);
    EXPECT_EQ(line["level"], i == 0 ? "debug" : "info") << line;
  }
  EXPECT_EQ(by_request_id[ids[2]][0]["tenant"], "json-log");
}

TEST(ServingShutdownE2eTest, SigtermLetsARequestInFlightFinishAndExitsZero) {
  AdminServer s;
  AdminApi admin(s);
  ASSERT_TRUE(IsJsonAnswer(admin.post("/tenants", {{"slug", "drain"}, {"name", "Drain"}}), 201));

  // Hold the clients table so that creating one (Argon2id first, for an
  // imported secret) is surely still in flight when SIGTERM arrives.
  pqxx::connection blocker(s.db.url());
  pqxx::work lock(blocker);
  lock.exec("LOCK TABLE clients IN EXCLUSIVE MODE");
  const std::string secret = "an imported secret of forty characters!!";
  auto pending = std::async(std::launch::async, [&admin, &secret] {
    return admin.post("/tenants/drain/clients", {{"name", "Slow"}, {"client_secret", secret}});
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool waiting = false;
  while (!waiting && std::chrono::steady_clock::now() < deadline) {
    waiting =
        s.db.query_value(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database() AND query ILIKE '%INSERT INTO clients%'") != "0";
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!waiting) {
    lock.abort();  // so that the request, and the future waiting for it, end
    FAIL() << "the request never reached the insert";
  }

  ASSERT_EQ(kill(s.server.pid(), SIGTERM), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(s.server.running()) << "the server exited with a request in flight";
  // No new work is taken meanwhile: refused, or answered 503.
  try {
    auto late = admin.get("/tenants");
    EXPECT_TRUE(IsAdminError(late, 503, "temporarily_unavailable"));
  } catch (const std::exception&) {
    // connection refused: not accepting is fine too
  }

  lock.commit();
  auto response = pending.get();
  ASSERT_TRUE(IsJsonAnswer(response, 201));
  EXPECT_EQ(response.json()["client_secret"], secret);
  EXPECT_EQ(s.server.terminate(), 0) << s.server.stderr_text();
  EXPECT_EQ(s.db.query_value("SELECT count(*) FROM clients WHERE name = 'Slow'"), "1");
}

}  // namespace
}  // namespace tessera::test
