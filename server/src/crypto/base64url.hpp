#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tessera::crypto {

// RFC 4648 §5 base64url without padding: the alphabet of every generated
// secret, token and key ([A-Za-z0-9_-]), so they never need escaping.
std::string base64url_encode(std::string_view bytes);

// Decodes base64url with or without trailing '=' padding; nullopt on any other
// character or a malformed length.
std::optional<std::string> base64url_decode(std::string_view text);

// RFC 4648 §4 standard base64 with padding (the HTTP Basic scheme, RFC 7617).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace tessera::crypto
