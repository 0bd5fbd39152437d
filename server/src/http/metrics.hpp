#pragma once

#include <string>

namespace tessera::http {

// Process-wide request counters for /metrics (Prometheus text format 0.0.4).
// Lock-free: counting must not slow the token endpoint.
enum class ListenerKind { public_api = 0, admin_api = 1 };

void count_request(ListenerKind listener, int status, double seconds);

// The exposition text: tessera_http_requests_total{listener,code},
// tessera_http_request_duration_seconds_{sum,count}{listener}.
std::string render_metrics();

}  // namespace tessera::http
