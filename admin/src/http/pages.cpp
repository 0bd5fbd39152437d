#include "http/pages.hpp"

#include <algorithm>
#include <set>

#include "cli/error.hpp"

namespace tessctl {
namespace {

constexpr long kMaxPageSize = 500;  // the API's largest `limit`

bool is_page(const nlohmann::json& page) {
  return page.is_object() && page.contains("items") && page["items"].is_array() &&
         page.contains("next_cursor") &&
         (page["next_cursor"].is_null() || page["next_cursor"].is_string());
}

}  // namespace

nlohmann::json fetch_list(AdminClient& client, const std::string& path, const Query& query,
                          const PageOptions& options) {
  nlohmann::json items = nlohmann::json::array();
  nlohmann::json cursor = options.cursor ? nlohmann::json(*options.cursor) : nlohmann::json();
  std::set<std::string> seen;  // a cursor that comes back twice would loop forever
  while (true) {
    long want = kMaxPageSize;
    if (options.limit)
      want = std::min(kMaxPageSize, *options.limit - static_cast<long>(items.size()));
    Query page_query = query;
    page_query.add("limit", std::to_string(want));
    if (cursor.is_string() && !cursor.get<std::string>().empty()) {
      page_query.add("cursor", cursor.get<std::string>());
    }
    const auto page = client.get(with_query(path, page_query));
    if (!is_page(page))
      throw CliError::transport("GET " + path + ": the answer is not a list page");
    for (const auto& item : page["items"]) items.push_back(item);
    cursor = page["next_cursor"];
    // Lists that come in one page ignore `limit`: cut them here.
    if (options.limit && static_cast<long>(items.size()) >= *options.limit) {
      if (static_cast<long>(items.size()) > *options.limit) {
        items.erase(items.begin() + *options.limit, items.end());
      }
      break;
    }
    if (cursor.is_null()) break;
    if (!seen.insert(cursor.get<std::string>()).second) {
      throw CliError::transport("GET " + path + ": the server repeated a cursor");
    }
  }
  return {{"items", items}, {"next_cursor", cursor}};
}

}  // namespace tessctl
