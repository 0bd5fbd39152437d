#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/percent_decode.hpp"

namespace tessera::http {

// Matches a method and path against patterns such as
// "/admin/v1/tenants/:t/apis/:api". Parameters are percent-decoded. Unlike
// Pistache's Rest::Router it tells an unknown path (404) from a known path
// with another method (405, with the allowed methods), keeps trailing slashes
// significant and runs no regex per request.
template <typename Handler>
class Router {
 public:
  struct Match {
    enum class Kind { found, not_found, method_not_allowed } kind = Kind::not_found;
    const Handler* handler = nullptr;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;  // for method_not_allowed
  };

  void add(std::string method, std::string_view pattern, Handler handler) {
    routes_.push_back({std::move(method), split(pattern), std::move(handler)});
  }

  Match match(const std::string& method, std::string_view path) const {
    Match result;
    const auto segments = split(path);
    for (const auto& route : routes_) {
      std::map<std::string, std::string> params;
      if (!matches(route.segments, segments, params)) continue;
      if (route.method == method) {
        result.kind = Match::Kind::found;
        result.handler = &route.handler;
        result.params = std::move(params);
        return result;
      }
      result.allowed.push_back(route.method);
    }
    if (!result.allowed.empty()) result.kind = Match::Kind::method_not_allowed;
    return result;
  }

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };

  // "/a/b/" -> {"a", "b", ""}: a trailing slash is a segment of its own.
  static std::vector<std::string> split(std::string_view path) {
    std::vector<std::string> out;
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    std::size_t start = 0;
    while (true) {
      const auto slash = path.find('/', start);
      out.emplace_back(path.substr(start, slash - start));
      if (slash == std::string_view::npos) break;
      start = slash + 1;
    }
    return out;
  }

  static bool matches(const std::vector<std::string>& pattern,
                      const std::vector<std::string>& segments,
                      std::map<std::string, std::string>& params) {
    if (pattern.size() != segments.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      const auto& p = pattern[i];
      if (!p.empty() && p.front() == ':') {
        auto decoded = percent_decode(segments[i], false);
        if (!decoded || decoded->empty()) return false;
        params[p.substr(1)] = std::move(*decoded);
      } else if (p != segments[i]) {
        return false;
      }
    }
    return true;
  }

  std::vector<Route> routes_;
};

}  // namespace tessera::http
