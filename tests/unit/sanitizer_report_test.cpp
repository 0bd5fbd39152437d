// How the end-to-end helpers recognise a sanitizer report in a child
// process's stderr (support/sanitizer_report): the first line of any
// sanitizer's report, never an ordinary log line.
#include "support/sanitizer_report.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tessera::test {
namespace {

TEST(SanitizerReportTest, FindsEachSanitizersReportAndKeepsItFromItsFirstLine) {
  struct Case {
    std::string name;
    std::string preamble;  // printed before the report's first line
    std::string report;
  };
  const std::vector<Case> cases = {
      {"AddressSanitizer", "",
       "==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x6020\n"
       "READ of size 8 at 0x6020 thread T3\n"},
      {"AddressSanitizer on a signal", "",
       "AddressSanitizer:DEADLYSIGNAL\n==4242==ERROR: AddressSanitizer: SEGV\n"},
      {"LeakSanitizer", "", "==4242==ERROR: LeakSanitizer: detected memory leaks\n\nDirect leak\n"},
      {"UndefinedBehaviorSanitizer", "",
       "server/src/http/request_framer.cpp:88:17: runtime error: signed integer overflow\n"},
      {"ThreadSanitizer", "==================\n",
       "WARNING: ThreadSanitizer: data race (pid=4242)\n"},
  };
  const std::string log =
      "2026-01-31T00:00:00Z info serving public=127.0.0.1:8080\n"
      "2026-01-31T00:00:01Z info shutting down signal=SIGTERM\n";
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(sanitizer_report(log + c.preamble + c.report), c.report);
  }
}

TEST(SanitizerReportTest, FindsNothingInOrdinaryLogs) {
  const std::vector<std::string> logs = {
      "",
      "2026-01-31T00:00:00Z info serving public=127.0.0.1:8080\n",
      // A log line that merely quotes the words, as a request path might.
      "2026-01-31T00:00:00Z info request path=\"/runtime error: x\" status=404\n",
      "2026-01-31T00:00:00Z warn upstream said: ERROR: something else\n",
      "no newline at the end: runtime error",
  };
  for (const auto& text : logs) {
    SCOPED_TRACE(text);
    EXPECT_EQ(sanitizer_report(text), "");
  }
}

TEST(SanitizerReportTest, KeepsAtMostSixteenKibibytes) {
  const std::string report =
      "==1==ERROR: LeakSanitizer: detected memory leaks\n" + std::string(40'000, 'x');
  EXPECT_EQ(sanitizer_report(report).size(), 16u * 1024u);
}

}  // namespace
}  // namespace tessera::test
