// Log lines (SPEC §2, §6): whatever a field holds, a request gives one line,
// and a text line holds only printable ASCII, so a client id, path or header
// cannot forge a line or drive the terminal that displays the log.
#include "log/log.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace tessera::log {
namespace {

using config::LogFormat;

struct Case {
  std::string name;
  std::string value;
  std::string text;  // how the text format writes `value`
};

// Values that are not plain printable ASCII without space, quote and '='
// are written as JSON strings (ASCII only, invalid UTF-8 as U+FFFD).
const std::vector<Case>& cases() {
  static const std::vector<Case> table = {
      {"plain", "client-abc_123", "client-abc_123"},
      {"plain path", "/t/acme/oauth/token", "/t/acme/oauth/token"},
      {"empty", "", R"("")"},
      {"space", "a b", R"("a b")"},
      {"quote", "a\"b", R"("a\"b")"},
      {"equals", "a=b", R"("a=b")"},
      {"tab", "a\tb", R"("a\tb")"},
      {"forged line", "x\r\n2024-01-01T00:00:00Z info forged",
       R"("x\r\n2024-01-01T00:00:00Z info forged")"},
      {"carriage return", "ok\rforged", R"("ok\rforged")"},
      {"terminal escape", "\x1b[31mred", R"("\u001b[31mred")"},
      {"NUL", std::string("id\0x", 4), R"("id\u0000x")"},
      {"DEL", "a\x7f", R"("a\u007f")"},
      {"C1 control", std::string("a\xc2\x9b") + "31m", R"("a\u009b31m")"},
      {"invalid UTF-8", "a\xff", R"("a\ufffd")"},
      {"lone continuation", "\x80", R"("\ufffd")"},
      {"non-ASCII", "caf\xc3\xa9", R"("caf\u00e9")"},
      {"line separator", std::string("a\xe2\x80\xa8") + "b", R"("a\u2028b")"},
  };
  return table;
}

TEST(RenderTest, WritesATextFieldRawOnlyWhenItIsPlainPrintableAscii) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(detail::render(LogFormat::text, "request", {{"client_id", c.value}}),
              "request client_id=" + c.text);
  }
}

TEST(RenderTest, KeepsEveryTextLineOnOneLineOfPrintableAscii) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    const std::string line =
        detail::render(LogFormat::text, "request", {{"path", c.value}, {"status", 400}});
    for (unsigned char byte : line) {
      EXPECT_TRUE(byte >= 0x20 && byte < 0x7f)
          << "byte " << static_cast<int>(byte) << " in " << ::testing::PrintToString(line);
    }
  }
}

TEST(RenderTest, WritesNestedTextValuesAsAsciiJsonWithoutThrowing) {
  const Fields fields = {{"details", {{"name", "a\xff\x1b"}, {"ok", true}}}, {"n", 3}};
  std::string line;
  ASSERT_NO_THROW(line = detail::render(LogFormat::text, "audit", fields));
  EXPECT_EQ(line, R"(audit details={"name":"a\ufffd\u001b","ok":true} n=3)");
}

TEST(RenderTest, WritesAMessageAsIsUnlessItWouldBreakTheLine) {
  EXPECT_EQ(detail::render(LogFormat::text, "superadmin key created", {}),
            "superadmin key created");
  EXPECT_EQ(detail::render(LogFormat::text, "bad\r\nvalue\x1b", {}), R"("bad\r\nvalue\u001b")");
}

TEST(RenderTest, KeepsEveryJsonLineOneParsableObjectWithoutThrowing) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    std::string body;
    ASSERT_NO_THROW(body = detail::render(LogFormat::json, "request", {{"path", c.value}}));
    EXPECT_EQ(body.find_first_of("\r\n"), std::string::npos) << body;
    // The logger's pattern supplies the braces around the rendered members.
    const auto object = nlohmann::json::parse("{" + body + "}");
    EXPECT_EQ(object["msg"], "request");
    EXPECT_TRUE(object["path"].is_string());
  }
}

// Whole lines as the logger writes them, caught in memory.
class LogLinesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    detail::setup(LogFormat::json, config::LogLevel::debug,
                  std::make_shared<spdlog::sinks::ostream_sink_mt>(lines_));
  }
  void TearDown() override {
    detail::setup(LogFormat::text, config::LogLevel::info,
                  std::make_shared<spdlog::sinks::stderr_sink_mt>());
  }
  // Every line written since the last call.
  std::vector<std::string> take_lines() {
    std::vector<std::string> out;
    std::string line;
    while (std::getline(lines_, line)) out.push_back(line);
    lines_.clear();
    lines_.str("");
    return out;
  }
  std::stringstream lines_;
};

struct LevelCase {
  std::string name;  // as TESSERA_LOG_LEVEL spells it
  std::function<void(std::string_view, const Fields&)> write;
};

// A line's level reads as TESSERA_LOG_LEVEL names it (SPEC §2), so a filter
// on "warn" finds the warnings: not spdlog's own "warning".
const std::vector<LevelCase>& level_cases() {
  static const std::vector<LevelCase> table = {
      {"debug", debug}, {"info", info}, {"warn", warn}, {"error", error}};
  return table;
}

TEST_F(LogLinesTest, NamesEachLevelOfAJsonLineAsTesseraLogLevelDoes) {
  for (const auto& c : level_cases()) {
    SCOPED_TRACE(c.name);
    c.write("change listener reconnecting", {{"error", "timeout"}});
    const auto lines = take_lines();
    ASSERT_EQ(lines.size(), 1u);
    const auto object = nlohmann::json::parse(lines[0]);
    EXPECT_EQ(object["level"], c.name);
    EXPECT_EQ(object["msg"], "change listener reconnecting");
    EXPECT_EQ(object["error"], "timeout");
  }
}

TEST_F(LogLinesTest, NamesEachLevelOfATextLineAsTesseraLogLevelDoes) {
  detail::setup(LogFormat::text, config::LogLevel::debug,
                std::make_shared<spdlog::sinks::ostream_sink_mt>(lines_));
  for (const auto& c : level_cases()) {
    SCOPED_TRACE(c.name);
    c.write("serving", {});
    const auto lines = take_lines();
    ASSERT_EQ(lines.size(), 1u);
    // "<time> <level> <message>"
    const auto first_space = lines[0].find(' ');
    EXPECT_EQ(lines[0].substr(first_space + 1), c.name + " serving");
  }
}

}  // namespace
}  // namespace tessera::log
