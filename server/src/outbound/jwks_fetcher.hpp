#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace tessera::outbound {

// Fetches a client's jwks_uri (private_key_jwt) with libcurl, as a careful
// server fetches a URL a stranger gave it (the client registered it, but
// whoever controls its DNS controls where it points):
// - https only, no redirects, at most `max_bytes` (64 KiB) of body, the
//   whole exchange within `timeout` (3 s);
// - the host is resolved here, every address it resolves to must be public
//   (domain::is_public_address: never loopback, the private networks,
//   link-local, cloud metadata at 169.254.169.254…), and libcurl connects
//   to the address that was checked (CURLOPT_RESOLVE), so that a second DNS
//   answer cannot point it elsewhere.
// `allow_insecure` (TESSERA_ALLOW_INSECURE_JWKS_URI=1, for tests and local
// set-ups) also allows http and any address.
struct JwksFetchOptions {
  bool allow_insecure = false;
  std::size_t max_bytes = 64 * 1024;
  std::chrono::milliseconds timeout{3000};
};

// The body of a 200 answer, or nullopt (logged at warn, without the body).
std::optional<std::string> fetch_jwks(const std::string& uri, const JwksFetchOptions& options);

}  // namespace tessera::outbound
