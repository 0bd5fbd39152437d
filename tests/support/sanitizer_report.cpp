#include "support/sanitizer_report.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string_view>

namespace tessera::test {
namespace {

constexpr std::size_t kMaxReport = 16 * 1024;

// The first line of a report. UBSan's has no banner, only
// "file:line:column: runtime error: …", matched as a whole so that a log
// line merely quoting the words does not count.
bool starts_report(std::string_view line) {
  static const std::regex ubsan(R"(^\S+:\d+:\d+: runtime error: )");
  for (const char* banner : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                             "WARNING: ThreadSanitizer", "ERROR: ThreadSanitizer",
                             "AddressSanitizer:DEADLYSIGNAL", "ThreadSanitizer:DEADLYSIGNAL"}) {
    if (line.find(banner) != std::string_view::npos) return true;
  }
  return std::regex_search(line.begin(), line.end(), ubsan);
}

}  // namespace

std::string sanitizer_report(const std::string& stderr_text) {
  std::size_t start = 0;
  while (start < stderr_text.size()) {
    std::size_t end = stderr_text.find('\n', start);
    if (end == std::string::npos) end = stderr_text.size();
    if (starts_report(std::string_view(stderr_text).substr(start, end - start))) {
      return stderr_text.substr(start, kMaxReport);
    }
    start = end + 1;
  }
  return "";
}

void expect_no_sanitizer_report(const std::string& process, const std::string& stderr_text) {
  const std::string report = sanitizer_report(stderr_text);
  if (!report.empty()) ADD_FAILURE() << process << " reported a sanitizer error:\n" << report;
}

}  // namespace tessera::test
