// Lists of the admin API are {items, next_cursor} pages (SPEC §4). tessctl
// walks every page unless asked for a number of items.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "http/admin_client.hpp"
#include "http/url.hpp"

namespace tessctl {

struct PageOptions {
  std::optional<long> limit;          // at most this many items; none: every page
  std::optional<std::string> cursor;  // start after a previous next_cursor
};

// {"items": [...], "next_cursor": ...}: the items of every page walked, and
// the cursor after the last one (null when the list is exhausted).
nlohmann::json fetch_list(AdminClient& client, const std::string& path, const Query& query,
                          const PageOptions& options);

}  // namespace tessctl
