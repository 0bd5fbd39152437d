// What the end-to-end suites of the admin API's key lifecycle share (SPEC §4:
// secrets, tokens, signing keys, audit events, admin keys): a server per
// suite on the token fixture's world, tenants and clients of a test's own,
// token requests, RFC 3339 times, waiting for background work, and walking a
// paginated list.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "e2e/admin_api.hpp"
#include "e2e/token_fixture.hpp"

namespace tessera::test {

using Clock = std::chrono::system_clock;

// A tenant made for one test: a default API (scopes read, write, admin) and
// a second API (scope pay) whose identifier is not a URI.
struct LifecycleTenant {
  std::string slug;
  std::string id;
  std::string api_id;
  std::string api_identifier;
  std::string other_api_id;
  std::string other_api_identifier;
};

// A suite's one server (with the token fixture's tenants `acme` and `solo`)
// plus what the lifecycle suites do on it. Each suite names itself as
// `Suite`, so that it gets a server of its own.
template <typename Suite>
class LifecycleSuite : public TokenSuite<Suite> {
 protected:
  using Base = TokenSuite<Suite>;

  static AdminServer& shared() { return *Base::server_; }
  static AdminApi admin() { return AdminApi(*Base::server_); }
  // The admin API as the holder of `key` sees it.
  static AdminApi admin_as(const std::string& key) {
    return AdminApi(Base::server_->server.admin_url(), key);
  }

  // A new tenant with its two APIs, its slug starting with `prefix`.
  static LifecycleTenant new_tenant(const std::string& prefix) {
    LifecycleTenant tenant;
    tenant.slug = unique_name(prefix);
    tenant.id = Base::fx().create_tenant(tenant.slug, {});
    tenant.api_identifier = "https://" + tenant.slug + ".api.test";
    tenant.api_id =
        Base::fx().create_api(tenant.slug, tenant.api_identifier, {"read", "write", "admin"}, true);
    tenant.other_api_identifier = "billing-" + tenant.slug;
    tenant.other_api_id =
        Base::fx().create_api(tenant.slug, tenant.other_api_identifier, {"pay"}, false);
    return tenant;
  }

  // A client with a generated secret, granted `scopes` on the API `api_id`.
  static TokenClient new_client(const std::string& slug, const std::string& api_id,
                                const std::vector<std::string>& scopes,
                                const std::string& name = "Lifecycle client") {
    auto client = Base::fx().create_client(slug, name, "");
    Base::fx().grant(slug, client, api_id, scopes);
    return client;
  }

  // A token request of `client` with Basic authentication; `params` are
  // appended to the form body (e.g. "&scope=read").
  static HttpResult request_token(const std::string& slug, const TokenClient& client,
                                  const std::string& params = "") {
    return post_token(Base::token_url(slug), kClientCredentials + params, {basic_auth(client)});
  }
};

// --- Times ------------------------------------------------------------------

// An RFC 3339 UTC time as the admin API writes it (fractions of a second
// allowed); throws for anything else.
inline Clock::time_point parse_time(const nlohmann::json& value) {
  if (!is_rfc3339_utc(value))
    throw std::invalid_argument("not an RFC 3339 UTC time: " + value.dump());
  const auto text = value.get<std::string>();
  std::tm tm{};
  tm.tm_year = std::stoi(text.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(text.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(text.substr(8, 2));
  tm.tm_hour = std::stoi(text.substr(11, 2));
  tm.tm_min = std::stoi(text.substr(14, 2));
  tm.tm_sec = std::stoi(text.substr(17, 2));
  long micros = 0;
  if (text[19] == '.') {
    std::string digits = text.substr(20, text.size() - 21);
    digits.resize(6, '0');
    micros = std::stol(digits);
  }
  return Clock::from_time_t(timegm(&tm)) + std::chrono::microseconds(micros);
}

// `time` in RFC 3339 UTC with microseconds, as a `since=` value.
inline std::string format_time(Clock::time_point time) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(micros % 1'000'000));
  return buffer;
}

// a − b in seconds.
inline double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(a - b).count();
}

// Polls `condition` until it holds or `timeout` passes; whether it held.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds every = std::chrono::milliseconds(250)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(every);
  }
}

// --- Lists ------------------------------------------------------------------

// What walking a paginated list gave: every item in order, and each page's size.
struct ListWalk {
  std::vector<nlohmann::json> items;
  std::vector<std::size_t> page_sizes;
};

// Follows `next_cursor` through an admin list (SPEC §4) from `path`, which
// may carry a query; with `limit` > 0 every request asks for that many. A
// page that is not a 200 `{items, next_cursor}` fails the test and ends the walk.
inline ListWalk walk_list(const AdminApi& api, const std::string& path, int limit = 0) {
  ListWalk walk;
  std::string cursor;
  for (int page = 0; page < 1000; ++page) {
    std::string url = path;
    const auto add = [&url](const std::string& param) {
      url += (url.find('?') == std::string::npos ? "?" : "&") + param;
    };
    if (limit > 0) add("limit=" + std::to_string(limit));
    if (!cursor.empty()) add("cursor=" + percent_encode(cursor));
    const auto response = api.get(url);
    if (!IsJsonAnswer(response, 200)) {
      ADD_FAILURE() << "GET " << url << ": " << describe(response);
      return walk;
    }
    const auto body = response.json();
    if (!body.is_object() || keys_of(body) != std::vector<std::string>{"items", "next_cursor"} ||
        !body["items"].is_array()) {
      ADD_FAILURE() << "GET " << url << " is not {items, next_cursor}: " << response.body;
      return walk;
    }
    walk.page_sizes.push_back(body["items"].size());
    for (const auto& item : body["items"]) walk.items.push_back(item);
    if (body["next_cursor"].is_null()) return walk;
    if (!body["next_cursor"].is_string() || body["next_cursor"] == "") {
      ADD_FAILURE() << "GET " << url
                    << ": next_cursor is neither null nor a cursor: " << response.body;
      return walk;
    }
    cursor = body["next_cursor"].get<std::string>();
  }
  ADD_FAILURE() << "GET " << path << " did not end within 1000 pages";
  return walk;
}

// The `field` of each item of a JSON array (a vector of items converts), as
// JSON text, so ids of any type compare.
inline std::vector<std::string> field_of(const nlohmann::json& items,
                                         const std::string& field = "id") {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.contains(field) ? item[field].dump() : "");
  return out;
}

}  // namespace tessera::test
