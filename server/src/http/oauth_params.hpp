#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/request.hpp"

namespace tessera::http {

// The parameters of an OAuth endpoint's body, from
// application/x-www-form-urlencoded (RFC 6749 Appendix B) or application/json
// (Podero style) alike. Values sent empty count as omitted (RFC 6749 §3.2).
class OAuthParams {
 public:
  std::optional<std::string> get(const std::string& name) const;
  const std::vector<std::string>& all(const std::string& name) const;
  void add(const std::string& name, std::string value);
  // For a parameter that may repeat (RFC 8707's `resource`): keeps distinct
  // values in order, at most kMaxDistinct of them. One token serves one
  // resource, so a second distinct value already decides the answer; more
  // would only let a 64 KiB body of thousands of values cost memory in
  // proportion before the client is authenticated.
  static constexpr std::size_t kMaxDistinct = 2;
  void add_distinct(const std::string& name, std::string value);

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

// Parses the request body, keeping only `known_fields` (others are checked
// for syntax, then ignored); throws domain::OAuthError invalid_request for an
// unsupported content type, a malformed encoding, a repeated parameter (but
// those in `repeatable`), a JSON member of a known field that is not a
// string, a duplicate JSON member, a NUL byte in a JSON body, or a control
// character or invalid UTF-8 in a form parameter or a known JSON field
// (SPEC §6: never passed on). Unknown JSON members are ignored
// whatever their type. Media-type parameters are ignored.
OAuthParams parse_oauth_params(const Request& request, const std::vector<std::string>& known_fields,
                               const std::vector<std::string>& repeatable);

}  // namespace tessera::http
