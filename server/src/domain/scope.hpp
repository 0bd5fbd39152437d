#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::domain {

// A requested `scope` parameter: items separated by spaces and/or commas
// ("a b", "a,b", "a, b"); empty items and duplicates are ignored. The result
// is sorted by byte value. nullopt when an item is not a valid scope value.
std::optional<std::vector<std::string>> parse_scope_list(std::string_view text);

// Space-separated, as RFC 6749 §3.3 writes scopes.
std::string join_scopes(const std::vector<std::string>& sorted_scopes);

}  // namespace tessera::domain
