#include "outbound/jwks_fetcher.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>

#include <memory>
#include <mutex>
#include <vector>

#include "domain/ip_address.hpp"
#include "log/log.hpp"

namespace tessera::outbound {
namespace {

struct Body {
  std::string text;
  std::size_t limit = 0;
  bool too_large = false;
};

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* context) {
  auto& body = *static_cast<Body*>(context);
  const auto bytes = size * count;
  if (body.text.size() + bytes > body.limit) {
    body.too_large = true;
    return 0;  // libcurl ends the transfer
  }
  body.text.append(data, bytes);
  return bytes;
}

std::optional<std::string> refuse(const std::string& uri, const std::string& why) {
  log::warn("jwks_uri not fetched", {{"uri", uri}, {"reason", why}});
  return std::nullopt;
}

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The URI's host and port, read by libcurl's own parser (the one that
// connects), so that the name checked is the name connected to.
struct Target {
  std::string host;
  std::string port;
  std::string scheme;
};
std::optional<Target> target_of(const std::string& uri) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> url(curl_url(), curl_url_cleanup);
  if (!url || curl_url_set(url.get(), CURLUPART_URL, uri.c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  Target target;
  for (auto [part, out, flags] :
       {std::tuple{CURLUPART_HOST, &target.host, 0u},
        std::tuple{CURLUPART_PORT, &target.port, static_cast<unsigned>(CURLU_DEFAULT_PORT)},
        std::tuple{CURLUPART_SCHEME, &target.scheme, 0u}}) {
    char* value = nullptr;
    if (curl_url_get(url.get(), part, &value, flags) != CURLUE_OK) return std::nullopt;
    *out = value;
    curl_free(value);
  }
  // An IPv6 literal comes back in brackets.
  if (target.host.size() > 2 && target.host.front() == '[') {
    target.host = target.host.substr(1, target.host.size() - 2);
  }
  return target;
}

}  // namespace

std::optional<std::string> fetch_jwks(const std::string& uri, const JwksFetchOptions& options) {
  init_curl_once();
  const auto target = target_of(uri);
  if (!target) return refuse(uri, "not a URL");
  if (target->scheme != "https" && !(options.allow_insecure && target->scheme == "http")) {
    return refuse(uri, "not https");
  }

  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(target->host.c_str(), target->port.c_str(), &hints, &found) != 0 || !found) {
    return refuse(uri, "its host does not resolve");
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
  std::string first;
  for (const addrinfo* a = addresses.get(); a != nullptr; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* raw =
        a->ai_family == AF_INET
            ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(a->ai_addr)->sin_addr)
            : static_cast<const void*>(
                  &reinterpret_cast<const sockaddr_in6*>(a->ai_addr)->sin6_addr);
    if ((a->ai_family != AF_INET && a->ai_family != AF_INET6) ||
        inet_ntop(a->ai_family, raw, text, sizeof text) == nullptr) {
      continue;
    }
    const auto address = domain::IpAddress::parse(text);
    // Every address, not just the first: libcurl could try any of them.
    if (!address || (!options.allow_insecure && !domain::is_public_address(*address))) {
      return refuse(uri, std::string("its host resolves to a non-public address ") + text);
    }
    if (first.empty()) first = a->ai_family == AF_INET6 ? "[" + std::string(text) + "]" : text;
  }
  if (first.empty()) return refuse(uri, "its host has no IP address");

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return refuse(uri, "libcurl could not start");
  // Connect to the address checked above, whatever DNS says next.
  const std::string pin = target->host + ":" + target->port + ":" + first;
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> resolve(
      curl_slist_append(nullptr, pin.c_str()), curl_slist_free_all);
  Body body;
  body.limit = options.max_bytes;
  const long timeout_ms = static_cast<long>(options.timeout.count());
  curl_easy_setopt(curl.get(), CURLOPT_URL, uri.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_RESOLVE, resolve.get());
  // Never through a proxy from the environment (https_proxy, ALL_PROXY…):
  // a proxy would resolve the name itself, past the checks above.
  curl_easy_setopt(curl.get(), CURLOPT_PROXY, "");
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR,
                   options.allow_insecure ? "https,http" : "https");
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(options.max_bytes));
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "tessera (jwks_uri)");
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  const CURLcode result = curl_easy_perform(curl.get());
  if (body.too_large) return refuse(uri, "its document is over the size limit");
  if (result != CURLE_OK) return refuse(uri, curl_easy_strerror(result));
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) return refuse(uri, "HTTP " + std::to_string(status));
  return std::move(body.text);
}

}  // namespace tessera::outbound
