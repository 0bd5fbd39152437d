#include "cli/json_file.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/error.hpp"

namespace tessctl {

nlohmann::json read_json_file(const std::string& what, const std::string& path) {
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(path);
    if (!in) throw CliError::usage(what + ": cannot read '" + path + "'");
    text << in.rdbuf();
  }
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error&) {
    throw CliError::usage(what + ": '" + path + "' does not hold JSON");
  }
}

nlohmann::json jwk_set_keys(const std::string& what, const nlohmann::json& document) {
  if (document.is_object() && document.contains("keys") && document["keys"].is_array()) {
    return document["keys"];
  }
  if (document.is_object() && document.contains("kty")) return nlohmann::json::array({document});
  throw CliError::usage(what + ": expected a JWK Set {\"keys\": [...]} or one JWK");
}

}  // namespace tessctl
