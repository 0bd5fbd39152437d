#include "store/postgres/array_literal.hpp"

#include <charconv>
#include <limits>
#include <utility>

#include "crypto/hex.hpp"

namespace tessera::store::postgres {

void ArrayLiteral::add_plain(std::string_view value) {
  start_element();
  text_ += value;
}

void ArrayLiteral::add_integer(std::int64_t value) {
  start_element();
  // to_chars, not std::to_string: a timestamp in microseconds is 16 digits,
  // past the small-string buffer, so to_string would allocate per element.
  char digits[std::numeric_limits<std::int64_t>::digits10 + 2];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  text_.append(digits, end);
}

void ArrayLiteral::add_quoted(std::string_view value) {
  start_element();
  text_ += '"';
  for (const char c : value) {
    if (c == '"' || c == '\\') text_ += '\\';
    text_ += c;
  }
  text_ += '"';
}

void ArrayLiteral::add_null() {
  start_element();
  text_ += "NULL";
}

void ArrayLiteral::add_bytea(std::string_view bytes) {
  start_element();
  if (bytes.empty()) {
    text_ += "NULL";
    return;
  }
  text_ += "\"\\\\x";  // the element \x…, its backslash escaped in the array literal
  crypto::append_hex(text_, bytes);
  text_ += '"';
}

std::string ArrayLiteral::take() && {
  text_ += text_.empty() ? "{}" : "}";
  return std::move(text_);
}

std::string text_array(const std::vector<std::string>& values) {
  ArrayLiteral array;
  for (const auto& value : values) array.add_quoted(value);
  return std::move(array).take();
}

}  // namespace tessera::store::postgres
