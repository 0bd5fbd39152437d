#pragma once

#include <string>

#include "http/answer_drop.hpp"

namespace tessera::http {

// Process-wide request counters for /metrics (Prometheus text format 0.0.4).
// Lock-free: counting must not slow the token endpoint.
enum class ListenerKind { public_api = 0, admin_api = 1 };

void count_request(ListenerKind listener, int status, double seconds);
// An answer that was made but not written (http/answer_drop.hpp).
void count_dropped_answer(ListenerKind listener, DropReason reason);

// The exposition text: tessera_http_requests_total{listener,code},
// tessera_http_request_duration_seconds_{sum,count}{listener},
// tessera_http_answers_dropped_total{listener,reason}.
std::string render_metrics();

}  // namespace tessera::http
