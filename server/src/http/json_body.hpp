#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace tessera::http {

// How deep arrays and objects may nest in a body. Only custom claims (a
// client's or grant's `claims`, values of any JSON) nest deeper than three
// levels; code that walks a parsed value recursively (admin input checks,
// nlohmann-json's dump and comparisons) may rely on this bound.
inline constexpr std::size_t kMaxJsonDepth = 64;

// Parses JSON, refusing a duplicate member in any object: nlohmann-json
// 3.11 would silently keep the last one, and a repeated field is a
// malformed request (SPEC §3). Also refuses nesting deeper than
// kMaxJsonDepth. On failure `error` says why, briefly.
std::optional<nlohmann::json> parse_json_strict(std::string_view text, std::string& error);

// The media type without parameters, lower-cased: "application/json; charset=utf-8"
// gives "application/json".
std::string media_type_of(std::string_view content_type);

}  // namespace tessera::http
