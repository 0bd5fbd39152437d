#include "http/url.hpp"

#include <curl/curl.h>

#include <climits>
#include <memory>
#include <new>

#include "cli/error.hpp"

namespace tessctl {

std::string percent_encode(const std::string& text) {
  // libcurl leaves exactly RFC 3986's unreserved characters as they are and
  // writes every other byte, NUL included, as %XX. The handle argument has
  // been ignored since libcurl 7.82 (Debian 12 ships 7.88), so no handle is
  // needed to build a path.
  if (text.size() > static_cast<std::size_t>(INT_MAX)) {
    throw CliError::usage("an argument too long to put in a URL");
  }
  const std::unique_ptr<char, decltype(&curl_free)> escaped(
      curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size())), &curl_free);
  if (escaped == nullptr) throw std::bad_alloc();
  return escaped.get();
}

Query& Query::add(const std::string& name, const std::string& value) {
  params_.emplace_back(name, value);
  return *this;
}

std::string Query::str() const {
  std::string out;
  for (const auto& [name, value] : params_) {
    out += (out.empty() ? "?" : "&") + percent_encode(name) + "=" + percent_encode(value);
  }
  return out;
}

std::string with_query(const std::string& path, const Query& query) {
  std::string text = query.str();
  if (text.empty()) return path;
  if (path.find('?') != std::string::npos) text[0] = '&';
  return path + text;
}

}  // namespace tessctl
