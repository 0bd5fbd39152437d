#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tessera::domain {

// An http(s) URI in the form two equal URIs share (RFC 3986 §6.2.2
// syntax-based and §6.2.3 scheme-based normalisation): scheme and host
// lower-cased, the scheme's default port dropped, percent-encodings of
// unreserved characters decoded and the others' hex upper-cased, dot
// segments removed, an empty path made "/". The query and fragment are
// dropped: a DPoP proof's `htu` is compared without them (RFC 9449 §4.3).
// nullopt for anything else (another scheme, user information, a bad
// port or percent-encoding, characters a URI cannot hold).
std::optional<std::string> normalise_http_uri(std::string_view uri);

}  // namespace tessera::domain
