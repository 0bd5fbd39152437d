#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessera::domain {

// The value rules of SPEC §3 and §4, as pure predicates. Each has a matching
// sentence (kSlugRule, …) that admin errors quote after the field name.

inline constexpr const char* kSlugRule = "must match [a-z0-9][a-z0-9-]{1,62}";
bool is_valid_slug(std::string_view slug);

inline constexpr const char* kScopeRule = "must be 1-128 characters of [A-Za-z0-9_.:/*-]";
bool is_valid_scope_value(std::string_view scope);

inline constexpr int kMinTtl = 1;
inline constexpr int kMaxTtl = 2'592'000;  // 30 days
inline constexpr const char* kTtlRule = "must be a whole number of seconds from 1 to 2592000";
bool is_valid_ttl(std::int64_t seconds);

inline constexpr const char* kNameRule = "must be 1-200 characters without control characters";
bool is_valid_name(std::string_view name);

inline constexpr const char* kIdentifierRule = "must be 1-512 printable characters without spaces";
bool is_valid_api_identifier(std::string_view identifier);

inline constexpr const char* kDomainRule =
    "must be a host name (letters, digits, '-' and '.'), without a port";
bool is_valid_domain(std::string_view domain);

// Lower-cases a host name (domains match the Host header case-insensitively).
std::string normalize_domain(std::string_view domain);

// Every client_id Tessera issues or ever issued matches [A-Za-z0-9_-]{16,64}
// (the CHECK on clients.client_id in migrations/0001_init.sql): anything else
// names no client, and is refused without a lookup (SPEC §6).
bool is_possible_client_id(std::string_view client_id);

inline constexpr std::size_t kMinImportedSecretLength = 32;
inline constexpr std::size_t kMaxImportedSecretLength = 512;

// A row id as the admin API writes it in paths and cursors: 1 to 18
// decimal digits (always fits an int64). nullopt for anything else.
std::optional<std::int64_t> parse_decimal_id(std::string_view text);

// RFC 3986 §4.3 absolute URI: a scheme, ':', something, no fragment.
bool is_absolute_uri(std::string_view text);

// Where a private_key_jwt client publishes its JWK Set: fetched by the
// server, so only over TLS (a plain-HTTP answer could hand anyone's keys to
// an attacker on the path), and short enough for the column's CHECK.
inline constexpr std::size_t kMaxJwksUriLength = 2048;
inline constexpr const char* kJwksUriRule =
    "must be an https:// URL of at most 2048 characters, without spaces or a fragment";
// `allow_http` (TESSERA_ALLOW_INSECURE_JWKS_URI): http:// too.
bool is_valid_jwks_uri(std::string_view uri, bool allow_http = false);

// Keys registered on one client (RFC 7523 §2.2): enough for a rolling
// rotation on a few machines, few enough that each assertion tries them all.
inline constexpr std::size_t kMaxClientKeys = 10;

inline constexpr int kDefaultTokenTtl = 3600;

}  // namespace tessera::domain
