#include "cli/command.hpp"
#include "cli/values.hpp"

namespace tessctl {

std::string Invocation::required(const std::string& name) const {
  auto value = flag(name);
  if (!value)
    throw CliError::usage(group_.name + " " + command_.name + ": --" + name + " is required");
  return *value;
}

PageOptions Invocation::page_options() const {
  PageOptions options;
  if (auto limit = flag("limit")) options.limit = parse_limit("limit", *limit);
  options.cursor = flag("cursor");
  return options;
}

CliError Invocation::usage_error(const std::string& message) const {
  return CliError::usage(group_.name + " " + command_.name + ": " + message);
}

}  // namespace tessctl
