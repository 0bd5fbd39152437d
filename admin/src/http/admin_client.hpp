// A small client of the admin REST API (SPEC §4) over libcurl: JSON in, JSON
// out, an admin error answer turned into a CliError. It knows nothing of the
// command line.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace tessctl {

class AdminClient {
 public:
  // `url` is the admin listener (http://host:port); a trailing "/" or
  // "/admin/v1" is accepted too. `key` is the Bearer admin key.
  AdminClient(const std::string& url, std::string key);
  ~AdminClient();
  AdminClient(const AdminClient&) = delete;
  AdminClient& operator=(const AdminClient&) = delete;

  // `path` is relative to /admin/v1 and may carry a query. Each answers the
  // body of a 2xx answer as JSON (null for 204), or throws a CliError: api
  // for an admin error, transport when the server cannot be reached or the
  // answer is not what the API sends.
  nlohmann::json get(const std::string& path) { return send("GET", path, std::nullopt); }
  nlohmann::json del(const std::string& path) { return send("DELETE", path, std::nullopt); }
  nlohmann::json post(const std::string& path, const nlohmann::json& body) {
    return send("POST", path, body);
  }
  nlohmann::json patch(const std::string& path, const nlohmann::json& body) {
    return send("PATCH", path, body);
  }
  nlohmann::json put(const std::string& path, const nlohmann::json& body) {
    return send("PUT", path, body);
  }

 private:
  nlohmann::json send(const std::string& method, const std::string& path,
                      const std::optional<nlohmann::json>& body);

  std::string base_;  // http://host:port/admin/v1
  std::string key_;
  void* curl_;  // CURL*, kept so that the pages of a list share a connection
};

}  // namespace tessctl
