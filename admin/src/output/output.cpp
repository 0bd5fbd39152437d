#include "output/output.hpp"

#include <set>

#include "output/table.hpp"

namespace tessctl {
namespace {

std::string render(const Field& field, const nlohmann::json& object) {
  const auto found = object.find(field.key);
  const nlohmann::json value = found == object.end() ? nlohmann::json() : *found;
  return field.render != nullptr ? field.render(value) : cell_text(value);
}

}  // namespace

std::string cell_text(const nlohmann::json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    if (value.empty()) return "-";
    std::string out;
    for (const auto& item : value) out += (out.empty() ? "" : ",") + cell_text(item);
    return out;
  }
  return value.dump();
}

std::string time_cell(const nlohmann::json& value) {
  if (!value.is_string()) return cell_text(value);
  std::string text = value.get<std::string>();
  const auto dot = text.find('.');
  if (dot != std::string::npos && !text.empty() && text.back() == 'Z')
    text.erase(dot, text.size() - 1 - dot);
  return text;
}

std::string scope_values_cell(const nlohmann::json& value) {
  if (!value.is_array()) return cell_text(value);
  nlohmann::json values = nlohmann::json::array();
  for (const auto& scope : value) {
    values.push_back(scope.is_object() && scope.contains("value") ? scope["value"] : scope);
  }
  return cell_text(values);
}

void Output::resource(const nlohmann::json& object, const std::vector<Field>& fields) {
  if (json_ || !object.is_object()) {
    out_ << object.dump(2) << '\n';
    return;
  }
  std::vector<std::pair<std::string, std::string>> lines;
  std::set<std::string> shown;
  for (const auto& field : fields) {
    if (!field.header.empty()) lines.emplace_back(field.key, render(field, object));
    shown.insert(field.key);
  }
  for (const auto& [key, value] : object.items()) {
    if (shown.count(key) != 0) continue;
    const bool is_time = key.size() > 3 && key.compare(key.size() - 3, 3, "_at") == 0;
    lines.emplace_back(key, is_time ? time_cell(value) : cell_text(value));
  }
  print_record(out_, lines);
}

void Output::list(const nlohmann::json& list, const std::vector<Field>& fields) {
  if (json_) {
    out_ << list.dump(2) << '\n';
    return;
  }
  std::vector<std::string> headers;
  for (const auto& field : fields) headers.push_back(field.header);
  Table table(headers);
  for (const auto& item : list["items"]) {
    std::vector<std::string> cells;
    for (const auto& field : fields) cells.push_back(render(field, item));
    table.add_row(std::move(cells));
  }
  table.print(out_);
  if (list.contains("next_cursor") && list["next_cursor"].is_string()) {
    out_ << "(more: add --cursor " << printable(list["next_cursor"].get<std::string>()) << ")\n";
  }
}

void Output::done(const std::string& sentence) {
  if (!json_) out_ << printable(sentence) << '\n';
}

void Output::note(const std::string& sentence) {
  if (!json_) out_ << printable(sentence) << '\n';
}

}  // namespace tessctl
