// What a command prints: the server's JSON as it came (--json), or text for
// people — one resource as aligned lines, a list as a table. Commands name
// the fields to show; this decides the layout.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace tessctl {

// How one JSON value reads in a cell.
using Render = std::string (*)(const nlohmann::json&);

struct Field {
  std::string header;       // the list column, e.g. "CLIENT_ID"; "" hides the member
  std::string key;          // the JSON member, e.g. "client_id"
  Render render = nullptr;  // default: cell_text
};

// null → "-", strings as they are, arrays joined with ",", objects as JSON.
std::string cell_text(const nlohmann::json& value);
// An RFC 3339 time without its fraction of a second.
std::string time_cell(const nlohmann::json& value);
// An API's scopes [{value, description}] as "read,write".
std::string scope_values_cell(const nlohmann::json& value);

class Output {
 public:
  Output(std::ostream& out, bool json) : out_(out), json_(json) {}
  bool json() const { return json_; }

  // One resource: its JSON, or `fields` as lines followed by any member
  // `fields` does not name (so a field the server adds still shows; times
  // are the members ending in _at).
  void resource(const nlohmann::json& object, const std::vector<Field>& fields);
  // {items, next_cursor}: its JSON, or a table of `fields`, and how to get
  // the next page when there is one.
  void list(const nlohmann::json& list, const std::vector<Field>& fields);
  // An answer without a body (204): `sentence` for people, nothing as JSON.
  void done(const std::string& sentence);
  // A line for people only, such as "the secret is shown once".
  void note(const std::string& sentence);

 private:
  std::ostream& out_;
  bool json_;
};

}  // namespace tessctl
