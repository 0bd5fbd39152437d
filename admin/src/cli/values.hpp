// Parsers for the values flags take: durations, TTLs, booleans, choices,
// limits and scopes. Pure functions; a bad value is a usage CliError that
// names the flag.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tessctl {

// "30s", "15m", "1h", "7d" or plain seconds ("90") → seconds.
long parse_duration(const std::string& flag, const std::string& text);

// A TTL in seconds (a duration is accepted too); with `allow_none`, "none"
// is JSON null, which clears the setting in a PATCH.
nlohmann::json parse_ttl(const std::string& flag, const std::string& text, bool allow_none);

// "true" or "false".
bool parse_bool(const std::string& flag, const std::string& text);

// One of `choices`; with `allow_none`, "none" is JSON null.
nlohmann::json parse_choice(const std::string& flag, const std::string& text,
                            const std::vector<std::string>& choices, bool allow_none);

// A JWS algorithm Tessera signs with: EdDSA, ES256 or RS256 (JOSE names,
// case-sensitive). With `allow_inherit`, "inherit" is JSON null, which clears
// the setting in a PATCH: the API then follows its tenant, the tenant the
// default (EdDSA). Not "none", as the other settings are cleared: in JOSE,
// "alg":"none" means an unsigned token, and that must not be one typo away.
nlohmann::json parse_signing_alg(const std::string& flag, const std::string& text,
                                 bool allow_inherit);

// A whole number ≥ 1.
long parse_limit(const std::string& flag, const std::string& text);

// A JSON object of custom claims, as given to --claims ('{}' clears them).
// Their rule (reserved names, size) is the server's to check and explain.
nlohmann::json parse_claims(const std::string& flag, const std::string& text);

// "VALUE[=DESCRIPTION]" → {"value", "description"}; a scope value never
// holds '=', so the first one separates.
nlohmann::json parse_scope(const std::string& text);

}  // namespace tessctl
