#pragma once

#include <cstddef>
#include <cstdint>

namespace tessera::metrics {

// The `route` label of tessera_http_request_duration_seconds: a fixed,
// small set, so that no path a peer makes up can add a series.
enum class Route : std::uint8_t {
  token,
  introspect,
  revoke,
  discovery,  // RFC 8414 and OpenID discovery documents
  jwks,
  healthz,
  readyz,
  metrics,
  admin,  // the admin REST API (/admin/v1/...)
  other,  // unknown paths, and requests refused before routing
};
inline constexpr std::size_t kRoutes = 10;

}  // namespace tessera::metrics
