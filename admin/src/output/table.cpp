#include "output/table.hpp"

#include <algorithm>
#include <cstdio>

namespace tessctl {
namespace {

// Columns are counted in code points, not bytes: close enough for the
// names and identifiers people type, and never splits a character.
std::size_t width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

void print_padded(std::ostream& out, const std::string& text, std::size_t column_width) {
  out << text;
  for (std::size_t i = width(text); i < column_width; ++i) out << ' ';
}

}  // namespace

std::string printable(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out;
}

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (auto& cell : cells) cell = printable(cell);
  rows_.push_back(std::move(cells));
}

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> widths;
  for (const auto& header : headers_) widths.push_back(width(header));
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
  }
  const auto print_row = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i + 1 == cells.size()) {
        out << cells[i];
      } else {
        print_padded(out, cells[i], widths[i]);
        out << "  ";
      }
    }
    out << '\n';
  };
  print_row(headers_);
  for (const auto& row : rows_) print_row(row);
}

void print_record(std::ostream& out,
                  const std::vector<std::pair<std::string, std::string>>& lines) {
  std::size_t label_width = 0;
  for (const auto& line : lines) label_width = std::max(label_width, width(line.first));
  for (const auto& [label, value] : lines) {
    print_padded(out, printable(label), label_width);
    out << "  " << printable(value) << '\n';
  }
}

}  // namespace tessctl
