// Building admin API paths: path segments and query values percent-encoded
// (RFC 3986), so an API identifier such as https://api.example.com is one
// segment.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tessctl {

// Everything but the unreserved characters (RFC 3986 §2.3) as %XX.
std::string percent_encode(const std::string& text);

// A query string built parameter by parameter, in order.
class Query {
 public:
  Query& add(const std::string& name, const std::string& value);
  // "?a=1&b=2", or "" when empty.
  std::string str() const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

// `path` with `query` appended, whether or not `path` already has a query.
std::string with_query(const std::string& path, const Query& query);

}  // namespace tessctl
