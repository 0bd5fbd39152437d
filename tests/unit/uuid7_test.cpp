#include "crypto/uuid7.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tessera::crypto {
namespace {

using std::chrono::milliseconds;

domain::Timestamp at_ms(std::int64_t unix_ms) {
  return domain::Timestamp{milliseconds(unix_ms)};
}

std::uint64_t first_48_bits(const Uuid& id) {
  std::uint64_t out = 0;
  for (std::size_t i = 0; i < 6; ++i) out = (out << 8) | id[i];
  return out;
}

// The last is in 2255: system_clock counts nanoseconds in 64 bits, so it
// cannot reach the end of the 48-bit millisecond range (year 10889).
const std::vector<std::int64_t> kTimes = {
    0, 1, 0x0123'4567'89ab, 1'645'557'742'000, 1'700'000'000'123, 9'000'000'000'000};

TEST(Uuid7Test, SetsTheVersionAndVariantBits) {
  for (std::int64_t ms : kTimes) {
    for (int i = 0; i < 20; ++i) {
      const Uuid id = uuid7(at_ms(ms));
      SCOPED_TRACE(uuid_text(id));
      EXPECT_EQ(id[6] >> 4, 7);
      EXPECT_EQ(id[8] & 0xc0, 0x80);
    }
  }
}

TEST(Uuid7Test, StartsWithTheUnixMilliseconds) {
  for (std::int64_t ms : kTimes) {
    SCOPED_TRACE(ms);
    EXPECT_EQ(first_48_bits(uuid7(at_ms(ms))), static_cast<std::uint64_t>(ms));
  }
  // RFC 9562 Appendix A.6: 2022-02-22T19:22:22Z begins 017f22e2-79b0-7…
  EXPECT_EQ(uuid_text(uuid7(at_ms(1'645'557'742'000))).substr(0, 15), "017f22e2-79b0-7");
}

TEST(Uuid7Test, DropsSubMillisecondPrecision) {
  const domain::Timestamp now = at_ms(1'700'000'000'123) + std::chrono::microseconds(999);
  EXPECT_EQ(first_48_bits(uuid7(now)), 1'700'000'000'123u);
}

TEST(Uuid7Test, OrdersIdsByTime) {
  Uuid previous = uuid7(at_ms(1'700'000'000'000));
  for (std::int64_t step : {1, 2, 999, 60'000, 86'400'000}) {
    const Uuid next = uuid7(at_ms(1'700'000'000'000 + step));
    SCOPED_TRACE(step);
    EXPECT_LT(previous, next);
    EXPECT_LT(uuid_text(previous), uuid_text(next));
    previous = next;
  }
}

TEST(Uuid7Test, DiffersWithinOneMillisecond) {
  EXPECT_NE(uuid7(at_ms(1'700'000'000'000)), uuid7(at_ms(1'700'000'000'000)));
}

TEST(UuidTextTest, WritesLowerCaseHexWithDashes) {
  const Uuid id = {0x01, 0x7f, 0x22, 0xe2, 0x79, 0xb0, 0x7c, 0xc3,
                   0x98, 0xc4, 0xdc, 0x0c, 0x0c, 0x07, 0x39, 0x8f};
  EXPECT_EQ(uuid_text(id), "017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
}

TEST(UuidTextTest, RoundTripsThroughParseUuid) {
  for (int i = 0; i < 20; ++i) {
    const Uuid id = uuid7(at_ms(1'700'000'000'000 + i));
    SCOPED_TRACE(uuid_text(id));
    EXPECT_EQ(parse_uuid(uuid_text(id)), id);
  }
}

TEST(ParseUuidTest, AcceptsUpperCaseHex) {
  const auto parsed = parse_uuid("017F22E2-79B0-7CC3-98C4-DC0C0C07398F");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(uuid_text(*parsed), "017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
}

TEST(ParseUuidTest, RefusesMalformedText) {
  for (const std::string text : {
           "",
           "017f22e2-79b0-7cc3-98c4-dc0c0c07398",    // one digit short
           "017f22e2-79b0-7cc3-98c4-dc0c0c07398f0",  // one digit long
           "017f22e279b07cc398c4dc0c0c07398f",       // no dashes
           "017f22e2-79b0-7cc3-98c4-dc0c0c07398g",   // not hex
           "017f22e2-79b0-7cc3-98c4 dc0c0c07398f",   // space for a dash
           "017f22e-279b0-7cc3-98c4-dc0c0c07398f",   // dash moved
           "017f22e2-79b0-7cc3-98c4-dc0c0c0-398f",   // dash inside a group
           "{17f22e2-79b0-7cc3-98c4-dc0c0c07398f",
           "017f22e2_79b0_7cc3_98c4_dc0c0c07398f",
       }) {
    SCOPED_TRACE(text);
    EXPECT_EQ(parse_uuid(text), std::nullopt);
  }
}

}  // namespace
}  // namespace tessera::crypto

namespace tessera::crypto {
namespace {

TEST(Uuid7Test, OrdersIdsMadeInTheSameMillisecondInIssueOrder) {
  const domain::Timestamp now = domain::Timestamp(std::chrono::milliseconds(1'800'000'000'000));
  Uuid previous = uuid7(now);
  for (int i = 0; i < 5000; ++i) {  // past the 12-bit sequence of one millisecond
    const Uuid next = uuid7(now);
    ASSERT_LT(previous, next) << "id " << i;
    previous = next;
  }
}

}  // namespace
}  // namespace tessera::crypto
