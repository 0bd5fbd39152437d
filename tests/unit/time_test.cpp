#include "domain/time.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::domain {
namespace {

constexpr std::int64_t kMicros = 1'000'000;

TEST(ToRfc3339Test, WritesUtcWithMicroseconds) {
  struct Case {
    std::int64_t micros;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {0, "1970-01-01T00:00:00.000000Z"},
      {1, "1970-01-01T00:00:00.000001Z"},
      {1'700'000'000 * kMicros + 123'456, "2023-11-14T22:13:20.123456Z"},
      {1'709'208'000 * kMicros, "2024-02-29T12:00:00.000000Z"},
      {951'868'799 * kMicros, "2000-02-29T23:59:59.000000Z"},
      {-1, "1969-12-31T23:59:59.999999Z"},
      {-14'182'940 * kMicros, "1969-07-20T20:17:40.000000Z"},
      {-2'203'891'200 * kMicros, "1900-03-01T00:00:00.000000Z"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.expected);
    EXPECT_EQ(to_rfc3339(from_unix_micros(c.micros)), c.expected);
  }
}

TEST(ParseRfc3339Test, RoundTripsWhatToRfc3339Writes) {
  for (std::int64_t micros :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, 1'700'000'000 * kMicros + 123'456,
        1'709'208'000 * kMicros, -14'182'940 * kMicros + 999'999, -2'203'891'200 * kMicros,
        4'102'444'800 * kMicros - 1}) {
    SCOPED_TRACE(micros);
    const std::string text = to_rfc3339(from_unix_micros(micros));
    auto parsed = parse_rfc3339(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(to_unix_micros(*parsed), micros) << text;
  }
}

TEST(ParseRfc3339Test, AcceptsZuluOffsetsAndFractions) {
  struct Case {
    std::string text;
    std::int64_t micros;
  };
  const std::int64_t noon = 1'709'208'000 * kMicros;  // 2024-02-29T12:00:00Z
  const std::vector<Case> cases = {
      {"2024-02-29T12:00:00Z", noon},
      {"2024-02-29t12:00:00z", noon},
      {"2024-02-29 12:00:00Z", noon},
      {"2024-02-29T12:00:00+00:00", noon},
      {"2024-02-29T12:00:00-00:00", noon},
      {"2024-02-29T14:30:00+02:30", noon},
      {"2024-02-29T07:00:00-05:00", noon},
      {"2024-03-01T00:30:00+12:30", noon},
      {"2024-02-28T23:00:00-13:00", noon},
      {"2024-02-29T12:00:00.5Z", noon + 500'000},
      {"2024-02-29T12:00:00.000001Z", noon + 1},
      {"2024-02-29T12:00:00.123456Z", noon + 123'456},
      {"2024-02-29T12:00:00.1234569Z", noon + 123'456},  // beyond microseconds: truncated
      {"2024-02-29T14:00:00.25+02:00", noon + 250'000},
      {"1969-12-31T23:59:59.999999Z", -1},
      {"1970-01-01T00:00:00Z", 0},
      {"1900-03-01T00:00:00Z", -2'203'891'200 * kMicros},
      {"2000-02-29T23:59:59Z", 951'868'799 * kMicros},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto parsed = parse_rfc3339(c.text);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(to_unix_micros(*parsed), c.micros);
  }
}

TEST(ParseRfc3339Test, RefusesMalformedStrings) {
  for (const std::string text : {
           "",
           "now",
           "2024-02-29",
           "2024-02-29T12:00:00",  // no offset
           "2024-02-29T12:00Z",    // no seconds
           "2024-2-29T12:00:00Z",
           "24-02-29T12:00:00Z",
           "2024/02/29T12:00:00Z",
           "2024-02-29X12:00:00Z",
           "2024-02-29T12-00-00Z",
           "2024-02-29T12:00:00.Z",     // a dot without digits
           "2024-02-29T12:00:00+0200",  // offset without a colon
           "2024-02-29T12:00:00+02",
           "2024-02-29T12:00:00+2:00",
           "2024-02-29T12:00:00 Z",
           "2024-02-29T12:00:00ZZ",
           "2024-02-29T12:00:00Z ",
           " 2024-02-29T12:00:00Z",
           "2024-02-29T12:00:00UTC",
           "+2024-02-29T12:00:00Z",
           "2024-00-10T12:00:00Z",
           "2024-13-10T12:00:00Z",
           "2024-01-00T12:00:00Z",
           "2024-01-32T12:00:00Z",
           "2024-01-10T24:00:00Z",
           "2024-01-10T12:60:00Z",
           "2024-01-10T12:00:61Z",
           "2024-01-10T12:00:00+24:00",  // offset hours 00-23
           "2024-01-10T12:00:00+02:60",  // offset minutes 00-59
       }) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parse_rfc3339(text).has_value());
  }
}

TEST(ParseRfc3339Test, AcceptsLeapDaysOnlyInLeapYears) {
  for (const std::string text : {"2024-02-29T00:00:00Z", "2000-02-29T00:00:00Z",
                                 "1968-02-29T00:00:00Z", "1704-02-29T00:00:00Z"}) {
    SCOPED_TRACE(text);
    auto parsed = parse_rfc3339(text);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(to_rfc3339(*parsed), text.substr(0, 19) + ".000000Z");
  }
  for (const std::string text : {"2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
                                 "2100-02-29T00:00:00Z", "2024-02-30T00:00:00Z"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parse_rfc3339(text).has_value());
  }
}

TEST(ParseRfc3339Test, RefusesDaysPastTheEndOfTheMonth) {
  for (const std::string text : {"2024-04-31T00:00:00Z", "2024-06-31T00:00:00Z",
                                 "2024-09-31T00:00:00Z", "2024-11-31T00:00:00Z"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parse_rfc3339(text).has_value());
  }
  for (const std::string text : {"2024-01-31T00:00:00Z", "2024-03-31T00:00:00Z",
                                 "2024-12-31T23:59:59Z", "2024-04-30T00:00:00Z"}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(parse_rfc3339(text).has_value());
  }
}

TEST(ParseRfc3339Test, RefusesDatesATimestampCannotHoldInsteadOfWrapping) {
  // Timestamp counts nanoseconds in 64 bits: 1677-09-21 to 2262-04-11.
  for (const std::string text :
       {"1600-02-29T00:00:00Z", "0001-01-01T00:00:00Z", "1677-01-01T00:00:00Z",
        "2263-01-01T00:00:00Z", "9999-12-31T23:59:59Z"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parse_rfc3339(text).has_value());
  }
  for (const std::string text : {"1678-01-01T00:00:00Z", "2261-12-31T23:59:59Z"}) {
    SCOPED_TRACE(text);
    auto parsed = parse_rfc3339(text);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(to_rfc3339(*parsed), text.substr(0, 19) + ".000000Z");
  }
}

}  // namespace
}  // namespace tessera::domain
