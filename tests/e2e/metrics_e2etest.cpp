// GET /metrics on the admin listener (docs/operations.md, "Metrics"): the
// counters move by exactly the traffic sent, histograms count what they
// time, the process metrics are there and plausible, and promtool accepts
// the exposition.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "e2e/admin_api.hpp"
#include "e2e/token_fixture.hpp"

namespace tessera::test {
namespace {

// The value of one sample (name with its labels, as exposed), or -1 if the
// exposition lacks it.
double sample(const std::string& exposition, const std::string& series) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

std::string outcome(const std::string& name) {
  return "tessera_token_requests_total{outcome=\"" + name + "\"}";
}

std::string timed(const std::string& suffix, const std::string& listener, const std::string& route,
                  const std::string& status_class, const std::string& le = "") {
  std::string series = "tessera_http_request_duration_seconds_" + suffix + "{listener=\"" +
                       listener + "\",route=\"" + route + "\",status_class=\"" + status_class +
                       "\"";
  if (!le.empty()) series += ",le=\"" + le + "\"";
  return series + "}";
}

class MetricsE2eTest : public TokenSuite<MetricsE2eTest> {
 protected:
  static std::string scrape() {
    const auto r = http_request("GET", server_->server.admin_url() + "/metrics");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type").rfind("text/plain; version=0.0.4", 0), 0u);
    return r.body;
  }
  static HttpResult token(const std::string& secret, const std::string& extra = "") {
    return post_token(token_url(), kClientCredentials + extra, {basic_auth(fx().main.id, secret)});
  }
};

TEST_F(MetricsE2eTest, CountersMoveByExactlyTheTrafficSent) {
  constexpr int kIssued = 5, kInvalidClient = 3;
  const auto before = scrape();
  std::string issued_token;
  for (int i = 0; i < kIssued; ++i) {
    const auto r = token(fx().main.secret);
    ASSERT_EQ(r.status, 200) << describe(r);
    issued_token = access_token_of(r);
  }
  for (int i = 0; i < kInvalidClient; ++i) {
    ASSERT_EQ(token("not-the-secret").status, 401);
  }
  ASSERT_EQ(token(fx().main.secret, "&scope=nonexistent").status, 400);
  const auto introspection =
      http_request("POST", url("/t/acme/oauth/introspect"), "token=" + issued_token,
                   {kFormType, "Authorization: Bearer " + server_->key});
  ASSERT_EQ(introspection.status, 200) << describe(introspection);
  const auto after = scrape();

  auto delta = [&](const std::string& series) {
    const double was = sample(before, series), is = sample(after, series);
    EXPECT_GE(was, 0) << series << " is missing";
    return is - was;
  };
  EXPECT_EQ(delta(outcome("issued")), kIssued);
  EXPECT_EQ(delta(outcome("invalid_client")), kInvalidClient);
  EXPECT_EQ(delta(outcome("invalid_scope")), 1);
  for (const char* none : {"invalid_request", "invalid_target", "rate_limited", "unavailable",
                           "server_error", "other"}) {
    EXPECT_EQ(delta(outcome(none)), 0) << none;
  }
  EXPECT_EQ(delta("tessera_tokens_issued_total{format=\"opaque\"}"), kIssued);
  EXPECT_EQ(delta("tessera_tokens_issued_total{format=\"jwt\"}"), 0);

  // Histograms: the count, and the +Inf bucket that always equals it.
  EXPECT_EQ(delta(timed("count", "public", "token", "2xx")), kIssued);
  EXPECT_EQ(delta(timed("bucket", "public", "token", "2xx", "+Inf")), kIssued);
  EXPECT_EQ(delta(timed("count", "public", "token", "4xx")), kInvalidClient + 1);
  EXPECT_EQ(delta(timed("count", "public", "token", "5xx")), 0);
  EXPECT_EQ(delta(timed("count", "public", "introspect", "2xx")), 1);
  EXPECT_GT(delta(timed("sum", "public", "token", "2xx")), 0);
  // The scrape before this one, answered on the admin listener.
  EXPECT_EQ(delta(timed("count", "admin", "metrics", "2xx")), 1);
  // Every issued token went through one group-commit batch.
  EXPECT_EQ(delta("tessera_token_batch_rows_sum"), kIssued);
  EXPECT_GE(delta("tessera_token_batch_rows_count"), 1);
  EXPECT_LE(delta("tessera_token_batch_rows_count"), kIssued);
  EXPECT_EQ(delta("tessera_token_batch_commit_duration_seconds_count"),
            delta("tessera_token_batch_rows_count"));
  EXPECT_EQ(delta("tessera_token_batches_failed_total"), 0);
  // Ten token requests looked their client up once each at least.
  EXPECT_GE(delta("tessera_cache_hits_total{cache=\"clients\"}") +
                delta("tessera_cache_misses_total{cache=\"clients\"}"),
            kIssued + kInvalidClient + 1);
  EXPECT_GE(delta("tessera_db_pool_wait_duration_seconds_count"), 1);
  EXPECT_GE(sample(after, "tessera_db_pool_connections"), 1);
  EXPECT_EQ(sample(after, "tessera_db_pool_connections_in_use"), 0);
  EXPECT_EQ(sample(after, "tessera_db_pool_waiting"), 0);
  EXPECT_GE(sample(after, "tessera_cache_entries{cache=\"clients\"}"), 1);
  EXPECT_GE(sample(after, "tessera_cache_entries{cache=\"token_status\"}"), 0);
  EXPECT_GE(sample(after, "tessera_invalidation_lag_seconds_count"), 0);
  EXPECT_GE(sample(after, "tessera_invalidation_notices_total"), 0);
}

TEST_F(MetricsE2eTest, ProcessMetricsArePresentAndPlausible) {
  const auto text = scrape();
  const double now = static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  const double start = sample(text, "process_start_time_seconds");
  EXPECT_GT(start, now - 3600);
  EXPECT_LE(start, now + 5);
  const double resident = sample(text, "process_resident_memory_bytes");
  EXPECT_GT(resident, 1 << 20);
  EXPECT_LT(resident, 4.0 * (1 << 30));
  EXPECT_GT(sample(text, "process_cpu_seconds_total"), 0);
  // Listeners, the pool's connections, the change feed, an eventfd or two.
  EXPECT_GE(sample(text, "process_open_fds"), 5);
  EXPECT_GE(sample(text, "process_max_fds"), sample(text, "process_open_fds"));
}

TEST_F(MetricsE2eTest, RateLimitedAnswersAndKeysAreCounted) {
  const auto before = scrape();
  // One address failing for one client, until the limit answers 429.
  int failures = 0, limited = 0;
  for (int i = 0; i < 120 && limited == 0; ++i) {
    const auto r = http_request_from("127.0.0.9", "POST", token_url(), kClientCredentials,
                                     {kFormType, basic_auth(fx().ungranted.id, "not-the-secret")});
    if (r.status == 401) ++failures;
    if (r.status == 429) ++limited;
  }
  ASSERT_EQ(limited, 1);
  const auto after = scrape();
  EXPECT_EQ(sample(after, outcome("rate_limited")) - sample(before, outcome("rate_limited")), 1);
  EXPECT_EQ(sample(after, outcome("invalid_client")) - sample(before, outcome("invalid_client")),
            failures);
  // The address and the client id, both past their limit.
  EXPECT_GE(sample(after, "tessera_rate_limited_keys{limiter=\"client\"}"), 1);
  EXPECT_EQ(sample(after, "tessera_rate_limited_keys{limiter=\"admin\"}"), 0);
}

// promtool's linter (the Prometheus package's), on a scrape with every kind
// of series filled in.
TEST_F(MetricsE2eTest, ExpositionPassesPromtoolCheckMetrics) {
  ASSERT_EQ(token(fx().main.secret).status, 200);
  const std::string path = ::testing::TempDir() + "tessera_metrics_scrape.txt";
  {
    std::ofstream out(path);
    out << scrape();
  }
  ASSERT_EQ(std::system("command -v promtool >/dev/null"), 0)
      << "promtool is missing: install Debian's prometheus package";
  const std::string command = "promtool check metrics < '" + path + "' 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = ::pclose(pipe);
  EXPECT_EQ(status, 0) << output;
  std::remove(path.c_str());
}

}  // namespace
}  // namespace tessera::test
