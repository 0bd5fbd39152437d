#include "domain/scope.hpp"

#include <algorithm>

#include "domain/validation.hpp"

namespace tessera::domain {

std::optional<std::vector<std::string>> parse_scope_list(std::string_view text) {
  std::vector<std::string> scopes;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find_first_of(" ,", start);
    if (end == std::string_view::npos) end = text.size();
    const auto item = text.substr(start, end - start);
    if (!item.empty()) {
      if (!is_valid_scope_value(item)) return std::nullopt;
      scopes.emplace_back(item);
    }
    start = end + 1;
  }
  std::sort(scopes.begin(), scopes.end());
  scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
  return scopes;
}

std::string join_scopes(const std::vector<std::string>& sorted_scopes) {
  std::string out;
  for (const auto& scope : sorted_scopes) {
    if (!out.empty()) out += ' ';
    out += scope;
  }
  return out;
}

}  // namespace tessera::domain
