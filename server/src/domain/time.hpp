#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/types.hpp"

namespace tessera::domain {

// RFC 3339 in UTC with microseconds: "2026-11-23T20:15:00.123456Z".
std::string to_rfc3339(Timestamp time);

// Accepts RFC 3339 date-times with 'Z' or a numeric offset, fractions optional.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

Timestamp from_unix_micros(std::int64_t micros);
std::int64_t to_unix_micros(Timestamp time);

}  // namespace tessera::domain
