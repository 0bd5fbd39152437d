// Every way a tessctl run fails, as a value, and the one line that reports
// it: SPEC §1 wants a failure to be one line on stderr and nothing on stdout.
#pragma once

#include <stdexcept>
#include <string>

namespace tessctl {

enum class ErrorKind {
  usage,      // the command line or the configuration is wrong; exit 2
  transport,  // the server could not be reached or answered nonsense; exit 1
  api,        // the server refused: an admin error {error, message, field}; exit 1
};

class CliError : public std::runtime_error {
 public:
  static CliError usage(const std::string& message);
  static CliError transport(const std::string& message);
  // "409 conflict: slug: a tenant with this slug exists"
  static CliError api(long status, const std::string& code, const std::string& message,
                      const std::string& field);

  ErrorKind kind() const { return kind_; }
  int exit_code() const { return kind_ == ErrorKind::usage ? 2 : 1; }

 private:
  CliError(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind_;
};

// "tessctl: <message>", on one line whatever the message holds.
std::string error_line(const std::string& message);

}  // namespace tessctl
