#pragma once

#include <cstddef>

namespace tessera::http {

// Which listener a request came to: the `listener` label of /metrics.
enum class ListenerKind { public_api = 0, admin_api = 1 };
inline constexpr std::size_t kListenerKinds = 2;

}  // namespace tessera::http
