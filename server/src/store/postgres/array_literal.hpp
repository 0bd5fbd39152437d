// The text form of a PostgreSQL array parameter ({7,"a b",NULL}; PostgreSQL
// manual §8.15.6), the one place that writes it. Statements take arrays as
// one text parameter cast to an array type ($3::text[]), so a list of any
// length is one parameter and never string-built SQL.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::store::postgres {

// Appends element after element to one string: the token batcher writes ten
// arrays per batch with it, so an element costs no allocation of its own.
class ArrayLiteral {
 public:
  // An element that never needs quoting: an integer, a UUID, an enum name
  // (no comma, brace, quote, backslash or white space, and never "NULL").
  void add_plain(std::string_view value);
  void add_integer(std::int64_t value);
  // Any text, double-quoted, its quotes and backslashes escaped.
  void add_quoted(std::string_view value);
  void add_null();
  // bytea as \x hex; no bytes is NULL.
  void add_bytea(std::string_view bytes);

  // The finished literal ("{}" when nothing was added); the builder is spent.
  std::string take() &&;

 private:
  void start_element() { text_ += text_.empty() ? '{' : ','; }

  std::string text_;
};

// A text[] literal ({"a","b"}).
std::string text_array(const std::vector<std::string>& values);

}  // namespace tessera::store::postgres
