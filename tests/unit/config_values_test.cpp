// The value parsers of configuration (config/config.hpp): durations and
// listen addresses, as every TESSERA_* variable of those kinds reads them.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace tessera::config {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(ParseDurationTest, AcceptsSecondsMinutesHoursDays) {
  struct Case {
    std::string text;
    seconds expected;
  };
  const std::vector<Case> cases = {
      {"30s", seconds(30)},  {"1s", seconds(1)},   {"15m", minutes(15)},      {"12h", hours(12)},
      {"7d", hours(24 * 7)}, {"90m", minutes(90)}, {"365d", hours(24 * 365)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto parsed = parse_duration(c.text);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, c.expected);
  }
}

TEST(ParseDurationTest, RefusesZeroMissingUnitsUnknownUnitsAndSigns) {
  for (const std::string text : {"0s", "0d", "7", "7w", "7D", "-1d", "+1d", "", "d", "s", "1.5h",
                                 "1 d", " 1d", "1d ", "1dd", "1h30m", "abc"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parse_duration(text).has_value());
  }
}

TEST(ParseListenAddressTest, AcceptsHostPortAndAllInterfacesAndBracketedIpv6) {
  struct Case {
    std::string text;
    std::string host;
    std::uint16_t port;
  };
  const std::vector<Case> cases = {
      {"127.0.0.1:8081", "127.0.0.1", 8081},
      {"0.0.0.0:8080", "0.0.0.0", 8080},
      {"localhost:1", "localhost", 1},
      {"auth.example.com:65535", "auth.example.com", 65535},
      {":9000", "0.0.0.0", 9000},
      {"[::1]:8443", "::1", 8443},
      {"[::]:80", "::", 80},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto parsed = parse_listen_address(c.text);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->host, c.host);
    EXPECT_EQ(parsed->port, c.port);
  }
}

TEST(ParseListenAddressTest, RefusesAMissingZeroOrOutOfRangePort) {
  for (const std::string text :
       {"", "localhost", "localhost:", ":", "localhost:0", "localhost:65536", "localhost:99999",
        "localhost:http", "localhost:80a", "localhost:-80", "localhost: 80", "[::1]",
        "[::1]:", "local host:80", "a/b:80", "[::1:80"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parse_listen_address(text).has_value());
  }
}

}  // namespace
}  // namespace tessera::config
