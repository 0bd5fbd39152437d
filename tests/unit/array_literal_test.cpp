// The text form of PostgreSQL array parameters (store/postgres/array_literal),
// as the token batch INSERT and the API scopes statement send them.
#include "store/postgres/array_literal.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace tessera::store::postgres {
namespace {

TEST(ArrayLiteralTest, WritesAnEmptyArrayWhenNothingWasAdded) {
  EXPECT_EQ(ArrayLiteral().take(), "{}");
  EXPECT_EQ(text_array({}), "{}");
}

TEST(ArrayLiteralTest, SeparatesElementsWithCommas) {
  ArrayLiteral array;
  array.add_plain("opaque");
  array.add_integer(7);
  array.add_quoted("read write");
  EXPECT_EQ(std::move(array).take(), R"({opaque,7,"read write"})");
}

TEST(ArrayLiteralTest, WritesEveryInt64InDecimal) {
  ArrayLiteral array;
  array.add_integer(0);
  array.add_integer(-1);
  array.add_integer(std::numeric_limits<std::int64_t>::min());
  array.add_integer(std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(std::move(array).take(), "{0,-1,-9223372036854775808,9223372036854775807}");
}

TEST(ArrayLiteralTest, EscapesQuotesAndBackslashesInQuotedElements) {
  EXPECT_EQ(text_array({"", "a\"b", "c\\d", "{,}", "NULL"}), R"({"","a\"b","c\\d","{,}","NULL"})");
}

TEST(ArrayLiteralTest, WritesByteaAsEscapedHexAndNoBytesAsNull) {
  ArrayLiteral array;
  array.add_bytea(std::string("\x00\xff", 2));
  array.add_bytea("");
  EXPECT_EQ(std::move(array).take(), R"({"\\x00ff",NULL})");
}

}  // namespace
}  // namespace tessera::store::postgres
