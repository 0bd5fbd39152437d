#include "http/metrics.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace tessera::http {
namespace {

// The value of one sample in the exposition text, or -1 if it is absent.
long sample(const std::string& exposition, const std::string& name) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + " ", 0) == 0) return std::stol(line.substr(name.size() + 1));
  }
  return -1;
}

std::string dropped(const std::string& listener, const std::string& reason) {
  return "tessera_http_answers_dropped_total{listener=\"" + listener + "\",reason=\"" + reason +
         "\"}";
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
  count_dropped_answer(ListenerKind::public_api, DropReason::descriptor_reused);
  count_dropped_answer(ListenerKind::public_api, DropReason::descriptor_reused);
  count_dropped_answer(ListenerKind::admin_api, DropReason::too_old);
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

}  // namespace
}  // namespace tessera::http
