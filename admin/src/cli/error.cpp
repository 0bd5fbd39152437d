#include "cli/error.hpp"

namespace tessctl {

CliError CliError::usage(const std::string& message) {
  return CliError(ErrorKind::usage, message);
}

CliError CliError::transport(const std::string& message) {
  return CliError(ErrorKind::transport, message);
}

CliError CliError::api(long status, const std::string& code, const std::string& message,
                       const std::string& field) {
  std::string line = std::to_string(status) + " " + code;
  // The server's 400 messages already start with "field: "; its 409
  // messages do not, and the field is what tells the operator what to fix.
  std::string text = message;
  if (!field.empty() && text.rfind(field + ":", 0) != 0) text = field + ": " + text;
  if (!text.empty()) line += ": " + text;
  return CliError(ErrorKind::api, line);
}

std::string error_line(const std::string& message) {
  std::string line = "tessctl: ";
  for (const char c : message) {
    const auto byte = static_cast<unsigned char>(c);
    line += (byte < 0x20 || byte == 0x7f) ? ' ' : c;
  }
  return line;
}

}  // namespace tessctl
