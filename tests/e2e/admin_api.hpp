// What the end-to-end suites of the admin API share: a server with a
// superadmin key, a small caller of /admin/v1, and the assertions every
// admin answer must pass (SPEC §4).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "http/percent_decode.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace tessera::test {

// A fresh database, a superadmin key in it and `tessera serve` on it, for a
// test suite to share (members are built in this order, destroyed in reverse).
struct AdminServer {
  explicit AdminServer(const Env& extra_env = {})
      : key(create_superadmin_key(db.url())), server(db.url(), extra_env) {}

  TestDatabase db;
  std::string key;
  ServerProcess server;
};

// Calls /admin/v1 with a Bearer key; paths are relative to /admin/v1.
class AdminApi {
 public:
  AdminApi(std::string admin_url, std::string key)
      : base_(std::move(admin_url) + "/admin/v1"), key_(std::move(key)) {}
  explicit AdminApi(const AdminServer& s) : AdminApi(s.server.admin_url(), s.key) {}

  HttpResult get(const std::string& path) const { return send("GET", path, ""); }
  HttpResult del(const std::string& path) const { return send("DELETE", path, ""); }
  HttpResult post(const std::string& path, const nlohmann::json& body) const {
    return send("POST", path, body.dump());
  }
  HttpResult patch(const std::string& path, const nlohmann::json& body) const {
    return send("PATCH", path, body.dump());
  }
  HttpResult put(const std::string& path, const nlohmann::json& body) const {
    return send("PUT", path, body.dump());
  }
  // A raw body, for JSON that nlohmann would never produce.
  HttpResult send(const std::string& method, const std::string& path, const std::string& body,
                  std::vector<std::string> headers = {}) const {
    headers.push_back("Authorization: Bearer " + key_);
    headers.push_back("Content-Type: application/json");
    return http_request(method, base_ + path, body, headers);
  }

 private:
  std::string base_;
  std::string key_;
};

// A slug (or other name) no earlier call in this process returned.
inline std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(++counter);
}

// Every byte but the unreserved ones (RFC 3986 §2.3) as %XX: the server's
// own encoder, the inverse of what it decodes.
using http::percent_encode;

inline std::string describe(const HttpResult& r) {
  return "HTTP " + std::to_string(r.status) + " " + r.body;
}

inline bool is_json_content_type(const HttpResult& r) {
  return r.header("content-type").rfind("application/json", 0) == 0;
}

// A successful answer with a JSON body.
inline ::testing::AssertionResult IsJsonAnswer(const HttpResult& r, long status) {
  if (r.status != status) {
    return ::testing::AssertionFailure() << "expected " << status << ", got " << describe(r);
  }
  if (!is_json_content_type(r)) {
    return ::testing::AssertionFailure() << "Content-Type is '" << r.header("content-type") << "'";
  }
  if (!nlohmann::json::accept(r.body)) {
    return ::testing::AssertionFailure() << "the body is not JSON: " << r.body;
  }
  return ::testing::AssertionSuccess();
}

// An admin error (SPEC §4): the status, Content-Type application/json, and a
// JSON object with the string `error` and a non-empty string `message`. With
// `field`, the message names it (and so does `field`, when the body has one).
inline ::testing::AssertionResult IsAdminError(const HttpResult& r, long status,
                                               const std::string& code,
                                               const std::string& field = "") {
  auto ok = IsJsonAnswer(r, status);
  if (!ok) return ok;
  const auto body = r.json();
  if (!body.is_object() || !body.contains("error") || !body["error"].is_string() ||
      !body.contains("message") || !body["message"].is_string()) {
    return ::testing::AssertionFailure() << "not {error, message} strings: " << r.body;
  }
  if (body["error"] != code) {
    return ::testing::AssertionFailure() << "expected error " << code << ", got " << r.body;
  }
  const auto message = body["message"].get<std::string>();
  if (message.empty()) return ::testing::AssertionFailure() << "empty message: " << r.body;
  if (!field.empty()) {
    if (message.find(field) == std::string::npos) {
      return ::testing::AssertionFailure()
             << "the message does not name " << field << ": " << r.body;
    }
    if (body.contains("field") && body["field"] != field) {
      return ::testing::AssertionFailure() << "field is not " << field << ": " << r.body;
    }
  }
  return ::testing::AssertionSuccess();
}

// RFC 3339 in UTC: 2024-05-01T12:00:00Z, fractions of a second allowed.
inline bool is_rfc3339_utc(const nlohmann::json& value) {
  static const std::regex pattern(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$)");
  return value.is_string() && std::regex_match(value.get<std::string>(), pattern);
}

// The sorted member names of a JSON object.
inline std::vector<std::string> keys_of(const nlohmann::json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;  // nlohmann::json keeps object members sorted
}

// The id of an admin key `tsk_<id>_<secret>`.
inline std::string admin_key_id(const std::string& key) {
  const auto first = key.find('_');
  const auto second = key.find('_', first + 1);
  return key.substr(first + 1, second - first - 1);
}

// The secret of an admin key "tsk_<id>_<secret>": its last 43 characters
// (base64url of 32 bytes), not what follows the last '_', since the secret
// may itself contain '_' (a short tail would then be found anywhere).
inline std::string admin_key_secret(const std::string& key) {
  constexpr std::size_t kSecretLength = 43;
  return key.size() < kSecretLength ? key : key.substr(key.size() - kSecretLength);
}

}  // namespace tessera::test
