#pragma once

#include <pqxx/result>
#include <string>

#include "domain/models.hpp"

namespace tessera::store::postgres {

// Builds a page from rows fetched with LIMIT limit + 1: the extra row only
// says that another page exists, and the cursor is the last item's key.
template <typename T, typename Read, typename Key>
domain::Page<T> make_page(const pqxx::result& rows, int limit, Read read, Key key) {
  domain::Page<T> page;
  for (const auto& row : rows) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = key(page.items.back());
      break;
    }
    page.items.push_back(read(row));
  }
  return page;
}

}  // namespace tessera::store::postgres
