#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tessera::http {

// Strict percent-decoding (RFC 3986 §2.1): nullopt on a '%' not followed by
// two hex digits. With `plus_is_space`, '+' decodes to ' ' as in HTML form
// encoding (application/x-www-form-urlencoded).
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string percent_encode(std::string_view text);

// Parses "a=1&b=2" (form-urlencoded) into ordered, decoded pairs; nullopt on
// a malformed encoding. Empty pieces ("a=1&&b=2") are skipped; "a" reads as
// "a" = "".
std::optional<std::vector<std::pair<std::string, std::string>>> parse_form(std::string_view text);

// Calls `visit(name, value)` for each decoded pair of a form body, in order,
// without collecting them; false on a malformed encoding (pairs before it
// were visited).
bool for_each_form_pair(std::string_view text,
                        const std::function<void(std::string name, std::string value)>& visit);

// The same for a URL's query string (RFC 3986 §3.4), where '+' stays '+':
// an RFC 3339 offset such as "+01:00" keeps its sign.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view text);

}  // namespace tessera::http
