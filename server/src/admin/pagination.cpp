#include "admin/pagination.hpp"

#include <utility>

#include "admin/admin_error.hpp"
#include "crypto/base64url.hpp"
#include "domain/text.hpp"
#include "domain/validation.hpp"

namespace tessera::admin {
namespace {
constexpr std::string_view kCursorPrefix = "c1:";
}

PageRequest read_page_request(const http::Request& request) {
  PageRequest page;
  if (auto limit = request.query_param("limit")) {
    if (limit->empty() || limit->size() > 3 ||
        limit->find_first_not_of("0123456789") != std::string::npos || std::stoi(*limit) < 1 ||
        std::stoi(*limit) > 500) {
      throw invalid_field("limit", "must be a whole number from 1 to 500");
    }
    page.limit = std::stoi(*limit);
  }
  if (auto cursor = request.query_param("cursor"); cursor && !cursor->empty()) {
    auto decoded = crypto::base64url_decode(*cursor);
    // A forged cursor may decode to any bytes; some lists hand the key on to
    // PostgreSQL as text (SPEC §6).
    if (!decoded || decoded->rfind(kCursorPrefix, 0) != 0 || !domain::is_clean_text(*decoded)) {
      throw invalid_field("cursor", "is not a cursor returned by this API");
    }
    page.after = decoded->substr(kCursorPrefix.size());
  }
  return page;
}

std::string encode_cursor(const std::string& key) {
  return crypto::base64url_encode(std::string(kCursorPrefix) + key);
}

std::optional<std::int64_t> numeric_after(const PageRequest& page) {
  if (!page.after) return std::nullopt;
  const auto key = domain::parse_decimal_id(*page.after);
  if (!key) throw invalid_field("cursor", "is not a cursor returned by this API");
  return *key;
}

nlohmann::json list_answer(nlohmann::json items, const std::optional<std::string>& next_key) {
  return {{"items", std::move(items)},
          {"next_cursor", next_key ? nlohmann::json(encode_cursor(*next_key)) : nlohmann::json()}};
}

}  // namespace tessera::admin
