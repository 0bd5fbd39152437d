#include "http/json_body.hpp"

#include <cctype>
#include <set>
#include <vector>

#include "domain/text.hpp"

namespace tessera::http {

std::optional<nlohmann::json> parse_json_strict(std::string_view text, std::string& error) {
  std::vector<std::set<std::string>> keys;  // one set per open object
  std::optional<std::string> duplicate;     // "" is a member name too
  bool too_deep = false;
  // `depth` counts the arrays and objects around the event. nlohmann-json
  // parses any depth without recursing; what walks the value afterwards
  // may recurse, so the depth is bounded here (kMaxJsonDepth).
  auto callback = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if ((event == E::object_start || event == E::array_start) &&
        static_cast<std::size_t>(depth) >= kMaxJsonDepth) {
      too_deep = true;
    }
    if (event == E::object_start) {
      keys.emplace_back();
    } else if (event == E::object_end) {
      if (!keys.empty()) keys.pop_back();
    } else if (event == E::key && !keys.empty()) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (!keys.back().insert(key).second && !duplicate) duplicate = key;
    }
    return true;
  };
  nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), callback, false);
  if (value.is_discarded()) {
    error = "the body is not valid JSON";
    return std::nullopt;
  }
  if (too_deep) {
    error = "the JSON nests more than " + std::to_string(kMaxJsonDepth) + " levels deep";
    return std::nullopt;
  }
  if (duplicate) {
    // The name is quoted only if it is clean text: the reason reaches the
    // peer and the log (SPEC §6).
    error = domain::is_clean_text(*duplicate)
                ? "the member '" + *duplicate + "' appears more than once"
                : "a member appears more than once";
    return std::nullopt;
  }
  return value;
}

std::string media_type_of(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  auto type = content_type.substr(0, semicolon);
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.back())))
    type.remove_suffix(1);
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.front())))
    type.remove_prefix(1);
  std::string out(type);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace tessera::http
