#include "http/admin_client.hpp"

#include <curl/curl.h>

#include "cli/error.hpp"

namespace tessctl {
namespace {

constexpr const char* kApiPrefix = "/admin/v1";

std::string normalise_base(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  const std::string prefix = kApiPrefix;
  if (url.size() >= prefix.size() &&
      url.compare(url.size() - prefix.size(), prefix.size(), prefix) == 0) {
    return url;
  }
  return url + prefix;
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

// Frees the header list however send() leaves.
struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
  void add(const std::string& line) { list = curl_slist_append(list, line.c_str()); }
};

// An answer that is not 2xx: the admin error it carries, or a description
// of whatever came instead (a proxy's page, say).
CliError error_from(long status, const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_object() && json.contains("error") && json["error"].is_string()) {
    const auto text = [&json](const char* name) {
      return json.contains(name) && json[name].is_string() ? json[name].get<std::string>() : "";
    };
    return CliError::api(status, text("error"), text("message"), text("field"));
  }
  return CliError::transport("HTTP " + std::to_string(status) +
                             " without an admin error body (is --url the admin listener?)");
}

}  // namespace

AdminClient::AdminClient(const std::string& url, std::string key)
    : base_(normalise_base(url)), key_(std::move(key)), curl_(curl_easy_init()) {
  if (curl_ == nullptr) throw CliError::transport("cannot initialise libcurl");
}

AdminClient::~AdminClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

nlohmann::json AdminClient::send(const std::string& method, const std::string& path,
                                 const std::optional<nlohmann::json>& body) {
  CURL* curl = static_cast<CURL*>(curl_);
  // reset keeps the connection cache, so a list's pages reuse one connection.
  curl_easy_reset(curl);
  const std::string url = base_ + path;
  std::string payload = body ? body->dump() : "";
  std::string answer;
  HeaderList headers;
  headers.add("Authorization: Bearer " + key_);
  headers.add("Accept: application/json");
  if (body) headers.add("Content-Type: application/json");
  char error_buffer[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "tessctl/" TESSCTL_VERSION);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  // Only HTTP(S): a URL such as file:///… must not be read as an answer.
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  if (body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  } else if (method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }

  const CURLcode result = curl_easy_perform(curl);
  if (result != CURLE_OK) {
    // The error names the host, never the request headers (and so never the key).
    const std::string reason = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(result);
    throw CliError::transport("cannot reach " + base_ + ": " + reason);
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) throw error_from(status, answer);
  if (status == 204 || answer.empty()) return nullptr;
  auto json = nlohmann::json::parse(answer, nullptr, false);
  if (json.is_discarded()) {
    throw CliError::transport(method + " " + path + ": HTTP " + std::to_string(status) +
                              " with a body that is not JSON");
  }
  return json;
}

}  // namespace tessctl
