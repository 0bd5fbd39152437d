#pragma once

#include <nlohmann/json.hpp>
#include <utility>

#include "admin/pagination.hpp"
#include "domain/models.hpp"
#include "store/client_key_store.hpp"

namespace tessera::admin {

// The admin API's JSON form of each resource: flat objects, the fields they
// were created with, never a secret; unset settings are null; RFC 3339 times.
nlohmann::json to_json(const domain::Tenant& tenant);
nlohmann::json to_json(const domain::Api& api);
nlohmann::json to_json(const domain::Client& client);
nlohmann::json to_json(const domain::Grant& grant);
nlohmann::json to_json(const store::ClientKeyInfo& key);

// A page of them as a list answer (list_answer).
template <typename T>
nlohmann::json to_json(const domain::Page<T>& page) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : page.items) items.push_back(to_json(item));
  return list_answer(std::move(items), page.next_cursor);
}

}  // namespace tessera::admin
