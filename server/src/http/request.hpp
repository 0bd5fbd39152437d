#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tessera::http {

// An HTTP request as handlers see it: plain values, independent of Pistache,
// so handlers can be tested without a server.
struct Request {
  std::string method;                                        // "GET", "POST", …
  std::string path;                                          // as sent, without the query
  std::vector<std::pair<std::string, std::string>> query;    // percent-decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  // The declared body exceeds the listener's limit and was not read
  // (ListenerOptions::body_limit_after_routing); `body` is empty.
  bool body_too_large = false;
  std::string remote_address;
  std::string request_id;
  std::map<std::string, std::string> params;  // path parameters set by the router
  std::chrono::steady_clock::time_point received_at{};

  // The first header of that (lower-case) name.
  std::optional<std::string> header(const std::string& lower_name) const;
  // The first query parameter of that name.
  std::optional<std::string> query_param(const std::string& name) const;
  const std::string& param(const std::string& name) const;
};

}  // namespace tessera::http
