#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tessera::http {

// Client credentials from an Authorization header (RFC 6749 §2.3.1, RFC 7617).
struct BasicCredentials {
  std::string client_id;
  std::string client_secret;
};

struct ParsedAuthorization {
  enum class Kind {
    none,       // no Authorization header
    basic,      // credentials holds the decoded pair
    malformed,  // Basic, but not base64, no ':', broken percent-encoding, or a
                // half that is not clean text (control characters, invalid UTF-8)
    other,      // another scheme (Bearer, …)
  } kind = Kind::none;
  BasicCredentials credentials;
  std::string scheme;  // lower-case, for kind == other
};

// Parses the header value. The scheme matches case-insensitively; both
// halves are form-urlencoded before base64 (RFC 6749 §2.3.1), so they are
// form-decoded ('+' is a space). Pistache's own getBasicUser() does neither.
ParsedAuthorization parse_authorization(const std::optional<std::string>& header);

}  // namespace tessera::http
