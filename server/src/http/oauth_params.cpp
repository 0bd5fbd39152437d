#include "http/oauth_params.hpp"

#include <algorithm>
#include <unordered_set>

#include "domain/oauth_error.hpp"
#include "domain/text.hpp"
#include "http/json_body.hpp"
#include "http/percent_decode.hpp"

namespace tessera::http {
namespace {

using domain::OAuthError;
using domain::OAuthErrorCode;

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The offending name is not quoted: it is what the peer may not send.
OAuthError unclean_parameter() {
  return OAuthError(OAuthErrorCode::invalid_request,
                    "a parameter holds a control character or invalid UTF-8");
}

}  // namespace

std::optional<std::string> OAuthParams::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

const std::vector<std::string>& OAuthParams::all(const std::string& name) const {
  static const std::vector<std::string> none;
  auto it = values_.find(name);
  return it == values_.end() ? none : it->second;
}

void OAuthParams::add(const std::string& name, std::string value) {
  values_[name].push_back(std::move(value));
}

void OAuthParams::add_distinct(const std::string& name, std::string value) {
  auto& values = values_[name];
  if (values.size() >= kMaxDistinct) return;
  if (std::find(values.begin(), values.end(), value) == values.end())
    values.push_back(std::move(value));
}

OAuthParams parse_oauth_params(const Request& request, const std::vector<std::string>& known_fields,
                               const std::vector<std::string>& repeatable) {
  const auto content_type = request.header("content-type");
  const std::string media = content_type ? media_type_of(*content_type) : "";
  OAuthParams params;

  if (media == "application/x-www-form-urlencoded") {
    // Pairs are taken as they are decoded, none collected: the cost of a
    // body stays proportional to its bytes, whatever it repeats.
    std::unordered_set<std::string> seen;
    const bool well_formed =
        for_each_form_pair(request.body, [&](std::string name, std::string value) {
          if (!domain::is_clean_text(name) || !domain::is_clean_text(value))
            throw unclean_parameter();
          const bool may_repeat = contains(repeatable, name);
          if (!seen.insert(name).second && !may_repeat) {
            throw OAuthError(OAuthErrorCode::invalid_request,
                             "the parameter '" + name + "' is repeated");
          }
          if (value.empty() || !contains(known_fields, name)) return;
          if (may_repeat) {
            params.add_distinct(name, std::move(value));
          } else {
            params.add(name, std::move(value));
          }
        });
    if (!well_formed) {
      throw OAuthError(OAuthErrorCode::invalid_request,
                       "the body has a malformed percent-encoding");
    }
    return params;
  }

  if (media == "application/json") {
    // nlohmann-json stops at a NUL byte and accepts what came before it.
    if (request.body.find('\0') != std::string::npos) {
      throw OAuthError(OAuthErrorCode::invalid_request, "the JSON body holds a NUL byte");
    }
    std::string error;
    auto json = parse_json_strict(request.body, error);
    if (!json) throw OAuthError(OAuthErrorCode::invalid_request, error);
    if (!json->is_object()) {
      throw OAuthError(OAuthErrorCode::invalid_request, "the JSON body must be an object");
    }
    for (const auto& field : known_fields) {
      auto it = json->find(field);
      if (it == json->end()) continue;  // null is not a string either (SPEC §3)
      if (!it->is_string()) {
        throw OAuthError(OAuthErrorCode::invalid_request, "'" + field + "' must be a string");
      }
      auto value = it->get<std::string>();
      // "\u0000" and other escapes decode to what a form body may not hold either.
      if (!domain::is_clean_text(value)) throw unclean_parameter();
      if (!value.empty()) params.add(field, std::move(value));
    }
    return params;
  }

  throw OAuthError(OAuthErrorCode::invalid_request,
                   content_type
                       ? "unsupported content type '" + media +
                             "' (use application/x-www-form-urlencoded or application/json)"
                       : "the request needs a Content-Type "
                         "(application/x-www-form-urlencoded or application/json)");
}

}  // namespace tessera::http
