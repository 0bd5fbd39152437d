// JSON documents a command reads from a file, such as a client's JWKs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace tessctl {

// The JSON in `path` ('-': stdin); a usage CliError naming `--flag` (or the
// argument) when it cannot be read or is not JSON.
nlohmann::json read_json_file(const std::string& what, const std::string& path);

// A JWK Set file's keys: {"keys": [...]} as it is, or one JWK alone.
nlohmann::json jwk_set_keys(const std::string& what, const nlohmann::json& document);

}  // namespace tessctl
