#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace tessera::http {

// Parses JSON, refusing a duplicate member in any object: nlohmann-json
// 3.11 would silently keep the last one, and a repeated field is a
// malformed request (SPEC §3). On failure `error` says why, briefly.
std::optional<nlohmann::json> parse_json_strict(std::string_view text, std::string& error);

// The media type without parameters, lower-cased: "application/json; charset=utf-8"
// gives "application/json".
std::string media_type_of(std::string_view content_type);

}  // namespace tessera::http
