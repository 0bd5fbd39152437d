#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "http/request.hpp"

namespace tessera::admin {

// `limit` (1–500, default 50) and `cursor` of a list request (SPEC §4). The
// cursor is opaque to clients: base64url of the last key of the previous page.
struct PageRequest {
  int limit = 50;
  std::optional<std::string> after;  // decoded key
};

PageRequest read_page_request(const http::Request& request);
std::string encode_cursor(const std::string& key);

// For lists keyed by a numeric id: the decoded key as a number.
std::optional<std::int64_t> numeric_after(const PageRequest& page);

// A list's answer, {"items":[…],"next_cursor":"…"|null} (SPEC §4):
// `next_key` is the key the next page starts after (domain::Page's
// next_cursor), or nullopt on the last page, and for lists that are one page.
nlohmann::json list_answer(nlohmann::json items, const std::optional<std::string>& next_key);

}  // namespace tessera::admin
