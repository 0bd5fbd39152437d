#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "domain/types.hpp"

namespace tessera::grants {

// Reading the header and claims of a JWT a client made (client assertions,
// DPoP proofs): anyone's input, so every read checks the JSON type.

// A JSON object, or nullopt for anything else (not JSON, an array, …).
std::optional<nlohmann::json> json_object(const std::string& text);

// A NumericDate (RFC 7519 §2): seconds since the epoch, a JSON number
// before the year 2096; nullopt when absent or anything else.
std::optional<domain::Timestamp> numeric_date(const nlohmann::json& object, const char* name);

// A string member; nullopt when absent or not a string.
std::optional<std::string> string_member(const nlohmann::json& object, const char* name);

// A jti as stored (client_assertion_jtis, dpop_proof_jtis): 1-256
// characters of clean text, which PostgreSQL takes as it is.
bool is_storable_jti(const std::string& jti);

}  // namespace tessera::grants
