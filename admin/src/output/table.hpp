// The two text layouts of tessctl: a table with a header row (lists) and
// aligned "field  value" lines (one resource). Cells are made printable, so
// a value can never move the cursor or add a line.
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace tessctl {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void add_row(std::vector<std::string> cells);
  // Columns two spaces apart, the last one not padded.
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "label  value" lines, the values aligned.
void print_record(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& lines);

// `text` with control characters escaped (\n, \t, \x1b …).
std::string printable(const std::string& text);

}  // namespace tessctl
