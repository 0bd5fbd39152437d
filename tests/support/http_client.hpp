#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tessera::test {

struct HttpResult {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-case; last value wins
  std::string body;

  nlohmann::json json() const;  // throws when the body is not JSON
  std::string header(const std::string& lower_name) const;
};

// One HTTP request with libcurl (a fresh connection each time). `headers`
// are "Name: value" lines. Throws on a transport failure.
HttpResult http_request(const std::string& method, const std::string& url,
                        const std::string& body = "", const std::vector<std::string>& headers = {});

// The same, sent from the local address `source` (any of 127.0.0.0/8 reaches
// a server on 127.0.0.1), to come from another client address.
HttpResult http_request_from(const std::string& source, const std::string& method,
                             const std::string& url, const std::string& body = "",
                             const std::vector<std::string>& headers = {});

}  // namespace tessera::test
