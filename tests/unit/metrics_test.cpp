#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "metrics/exposition.hpp"
#include "metrics/probes.hpp"

namespace tessera::metrics {
namespace {

using http::DropReason;
using http::ListenerKind;

// The value of one sample in the exposition text, or -1 if it is absent.
double sample(const std::string& exposition, const std::string& name) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return -1;
}

std::string dropped(const std::string& listener, const std::string& reason) {
  return "tessera_http_answers_dropped_total{listener=\"" + listener + "\",reason=\"" + reason +
         "\"}";
}

std::string requests(const std::string& listener, const std::string& route,
                     const std::string& status_class) {
  return "tessera_http_request_duration_seconds_count{listener=\"" + listener + "\",route=\"" +
         route + "\",status_class=\"" + status_class + "\"}";
}

std::string outcome(const std::string& name) {
  return "tessera_token_requests_total{outcome=\"" + name + "\"}";
}

TEST(MetricsTest, ShowsEveryDroppedAnswerSeriesBeforeTheFirstDrop) {
  const auto text = render_metrics();
  EXPECT_NE(text.find("# TYPE tessera_http_answers_dropped_total counter\n"), std::string::npos);
  for (const char* listener : {"public", "admin"}) {
    for (const char* reason : {"connection_closed", "descriptor_reused", "too_old"}) {
      EXPECT_GE(sample(text, dropped(listener, reason)), 0) << listener << " " << reason;
    }
  }
}

TEST(MetricsTest, CountsDroppedAnswersByListenerAndReason) {
  const auto before = render_metrics();
  answer_dropped(ListenerKind::public_api, DropReason::descriptor_reused);
  answer_dropped(ListenerKind::public_api, DropReason::descriptor_reused);
  answer_dropped(ListenerKind::admin_api, DropReason::too_old);
  const auto after = render_metrics();
  EXPECT_EQ(sample(after, dropped("public", "descriptor_reused")),
            sample(before, dropped("public", "descriptor_reused")) + 2);
  EXPECT_EQ(sample(after, dropped("admin", "too_old")),
            sample(before, dropped("admin", "too_old")) + 1);
  EXPECT_EQ(sample(after, dropped("public", "too_old")),
            sample(before, dropped("public", "too_old")));
  EXPECT_EQ(sample(after, dropped("admin", "connection_closed")),
            sample(before, dropped("admin", "connection_closed")));
}

TEST(MetricsTest, TimesRequestsByListenerRouteAndStatusClass) {
  const auto before = render_metrics();
  request_answered(ListenerKind::public_api, Route::token, 200, 0.002);
  request_answered(ListenerKind::public_api, Route::token, 401, 0.001);
  request_answered(ListenerKind::public_api, Route::token, 503, 0.001);
  // The admin listener has no token route: counted under `other`.
  request_answered(ListenerKind::admin_api, Route::token, 404, 0.001);
  const auto after = render_metrics();
  for (const char* c : {"2xx", "4xx", "5xx"}) {
    EXPECT_EQ(sample(after, requests("public", "token", c)),
              sample(before, requests("public", "token", c)) + 1)
        << c;
  }
  EXPECT_EQ(sample(after, requests("admin", "other", "4xx")),
            sample(before, requests("admin", "other", "4xx")) + 1);
  EXPECT_EQ(sample(after, requests("admin", "token", "4xx")), -1);
}

TEST(MetricsTest, NamesTokenOutcomesAfterTheirErrorOrLimit) {
  const auto before = render_metrics();
  token_answered(std::nullopt);
  token_answered(domain::OAuthErrorCode::invalid_client);
  token_answered(domain::OAuthErrorCode::too_many_requests);
  token_answered(domain::OAuthErrorCode::temporarily_unavailable);
  token_answered(domain::OAuthErrorCode::method_not_allowed);
  const auto after = render_metrics();
  for (const char* name : {"issued", "invalid_client", "rate_limited", "unavailable", "other"}) {
    EXPECT_EQ(sample(after, outcome(name)), sample(before, outcome(name)) + 1) << name;
  }
  EXPECT_EQ(sample(after, outcome("invalid_scope")), sample(before, outcome("invalid_scope")));
}

TEST(MetricsTest, ShowsTheProcessMetricsOfEveryClientLibrary) {
  const auto text = render_metrics();
  EXPECT_GT(sample(text, "process_resident_memory_bytes"), 1 << 20);
  EXPECT_GT(sample(text, "process_open_fds"), 2);
  EXPECT_GE(sample(text, "process_cpu_seconds_total"), 0);
  EXPECT_GT(sample(text, "process_start_time_seconds"), 1.6e9);
}

}  // namespace
}  // namespace tessera::metrics
