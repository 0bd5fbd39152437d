#include "admin/input_text.hpp"

#include <string>

#include "domain/text.hpp"

namespace tessera::admin {
namespace {

const std::string kCleanRule = "must be UTF-8 text without control characters";

// The message says where the text sits ("scopes[1].description"); `field`
// names the top-level member, as every other body error does.
AdminError unclean_at(const std::string& where, const std::string& field, const std::string& what) {
  if (where.empty()) return AdminError(AdminErrorCode::invalid_request, what + kCleanRule);
  return AdminError(AdminErrorCode::invalid_request, where + ": " + what + kCleanRule, field);
}

// Depth-first in document order, so the first bad string is the one named.
std::optional<AdminError> first_unclean(const nlohmann::json& value, const std::string& where,
                                        const std::string& field) {
  if (value.is_string()) {
    if (domain::is_clean_text(value.get_ref<const std::string&>())) return std::nullopt;
    return unclean_at(where, field, "");
  }
  if (value.is_object()) {
    for (const auto& [name, member] : value.items()) {
      // A bad member name cannot be quoted; the message says where it sits.
      if (!domain::is_clean_text(name)) return unclean_at(where, field, "a member name ");
      const auto inner = where.empty() ? name : where + "." + name;
      if (auto error = first_unclean(member, inner, field.empty() ? name : field)) return error;
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (auto error = first_unclean(value[i], where + "[" + std::to_string(i) + "]", field)) {
        return error;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<AdminError> unclean_parameter(const http::Request& request) {
  for (const auto& [name, value] : request.params) {
    if (!domain::is_clean_text(value)) {
      return AdminError(AdminErrorCode::invalid_request,
                        "path: every segment, percent-decoded, " + kCleanRule);
    }
  }
  for (const auto& [name, value] : request.query) {
    // The listener has percent-decoded both (http::parse_query).
    if (!domain::is_clean_text(name)) {
      return AdminError(AdminErrorCode::invalid_request, "a query parameter name " + kCleanRule);
    }
    if (!domain::is_clean_text(value)) return invalid_field(name, kCleanRule);
  }
  return std::nullopt;
}

std::optional<AdminError> unclean_json_text(const nlohmann::json& value) {
  return first_unclean(value, "", "");
}

}  // namespace tessera::admin
