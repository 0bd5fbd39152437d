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

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

// Parses the request body; throws domain::OAuthError invalid_request for an
// unsupported content type, a malformed encoding, a repeated parameter (but
// those in `repeatable`), a JSON member of a known field that is not a
// string, a duplicate JSON member, a NUL byte in a JSON body, or a control
// character or invalid UTF-8 in a form parameter or a known JSON field
// (SPEC §6: never passed on). Unknown JSON members are ignored
// whatever their type. Media-type parameters are ignored.
OAuthParams parse_oauth_params(const Request& request, const std::vector<std::string>& known_fields,
                               const std::vector<std::string>& repeatable);

}  // namespace tessera::http
