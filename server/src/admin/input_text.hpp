#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "admin/admin_error.hpp"
#include "http/request.hpp"

namespace tessera::admin {

// SPEC §6: admin input that is not clean text (domain::is_clean_text: NUL,
// other control characters, invalid UTF-8) is 400 invalid_request before it
// reaches a handler, a log line or PostgreSQL. The messages never quote the
// offending text.

// The error for the first path parameter (percent-decoded by the router) or
// query parameter, name or value, that is not clean text; nullopt when all are.
std::optional<AdminError> unclean_parameter(const http::Request& request);

// The error for the first member name or string anywhere in `value` (nested
// objects and arrays too) that is not clean text, naming where it is
// ("scopes[1].description"); nullopt when all are clean.
std::optional<AdminError> unclean_json_text(const nlohmann::json& value);

}  // namespace tessera::admin
