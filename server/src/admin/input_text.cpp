#include "admin/input_text.hpp"

#include <string>
#include <vector>

#include "domain/text.hpp"

namespace tessera::admin {
namespace {

const std::string kCleanRule = "must be UTF-8 text without control characters";

// Where a value sits: the member names and array indexes that lead to it.
// The text ("scopes[1].description") is only written for an error: built
// for every value visited, a long member name over a long array would cost
// their product.
struct PathStep {
  const std::string* name = nullptr;  // a member; nullptr for an array item
  std::size_t index = 0;
};

std::string path_text(const std::vector<PathStep>& path) {
  std::string out;
  for (const auto& step : path) {
    if (step.name == nullptr) {
      out += "[" + std::to_string(step.index) + "]";
    } else {
      if (!out.empty()) out += '.';
      out += *step.name;
    }
  }
  return out;
}

// The message says where the text sits; the error's field names the
// outermost member, as every other body error does.
AdminError unclean_at(const std::vector<PathStep>& path, const std::string& what) {
  if (path.empty()) return AdminError(AdminErrorCode::invalid_request, what + kCleanRule);
  std::string field;
  for (const auto& step : path) {
    if (step.name != nullptr) {
      field = *step.name;
      break;
    }
  }
  return AdminError(AdminErrorCode::invalid_request, path_text(path) + ": " + what + kCleanRule,
                    field);
}

// Depth-first in document order, so the first bad string is the one named.
// Recursion is bounded: parsed bodies nest at most http::kMaxJsonDepth.
std::optional<AdminError> first_unclean(const nlohmann::json& value, std::vector<PathStep>& path) {
  if (value.is_string()) {
    if (domain::is_clean_text(value.get_ref<const std::string&>())) return std::nullopt;
    return unclean_at(path, "");
  }
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      // A bad member name cannot be quoted; the message says where it sits.
      if (!domain::is_clean_text(it.key())) return unclean_at(path, "a member name ");
      path.push_back({&it.key(), 0});
      if (auto error = first_unclean(it.value(), path)) return error;
      path.pop_back();
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      path.push_back({nullptr, i});
      if (auto error = first_unclean(value[i], path)) return error;
      path.pop_back();
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
  std::vector<PathStep> path;
  return first_unclean(value, path);
}

}  // namespace tessera::admin
