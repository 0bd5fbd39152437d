#include "http/answer_drop.hpp"

namespace tessera::http {

const char* to_string(DropReason reason) {
  switch (reason) {
    case DropReason::connection_closed:
      return "connection_closed";
    case DropReason::descriptor_reused:
      return "descriptor_reused";
    case DropReason::too_old:
      return "too_old";
  }
  return "unknown";
}

std::optional<DropReason> drop_reason(const AnswerCircumstances& answer) {
  // A reused number proves the connection closed, whatever else is known:
  // these are the answers that would have reached the wrong client.
  if (answer.descriptor_reused) return DropReason::descriptor_reused;
  if (answer.connection_gone) return DropReason::connection_closed;
  if (answer.age > kMaxAnswerAge) return DropReason::too_old;
  return std::nullopt;
}

}  // namespace tessera::http
