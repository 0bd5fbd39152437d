#pragma once

#include <optional>
#include <string>

namespace tessera::http {

// SPEC §2: an incoming X-Request-Id is kept if it is 1–128 printable ASCII
// characters; otherwise a random one is generated.
std::string choose_request_id(const std::optional<std::string>& incoming);

bool is_acceptable_request_id(const std::string& value);

}  // namespace tessera::http
