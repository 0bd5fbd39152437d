#include "store/postgres/token_rows.hpp"

#include <cctype>

#include "crypto/uuid7.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "store/postgres/array_literal.hpp"

namespace tessera::store::postgres {
namespace {

// crypto::keyed_hash's size (BLAKE2b-256).
constexpr std::size_t kTokenHashBytes = 32;

// Scope values separated by single spaces, as domain::join_scopes writes
// them, or nothing (a grant without scopes).
bool is_scope_list(std::string_view scope) {
  if (scope.empty()) return true;
  while (true) {
    const auto space = scope.find(' ');
    if (!domain::is_valid_scope_value(scope.substr(0, space))) return false;
    if (space == std::string_view::npos) return true;
    scope.remove_prefix(space + 1);
  }
}

// An RFC 7638 thumbprint as crypto::jwk_thumbprint writes it: 43
// base64url characters.
bool is_thumbprint(std::string_view text) {
  if (text.size() != 43) return false;
  for (const char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> why_unstorable(const TokenRecord& record) {
  if (!domain::is_possible_client_id(record.client_id)) return "client_id is not a possible one";
  if (!is_scope_list(record.scope)) return "scope is not scope values separated by single spaces";
  if (!record.token_hash.empty() && record.token_hash.size() != kTokenHashBytes) {
    return "token_hash is neither empty nor 32 bytes";
  }
  if (!record.assertion_jti.empty() &&
      (!record.assertion_expires_at || record.assertion_jti.size() > 256 ||
       !domain::is_clean_text(record.assertion_jti))) {
    return "assertion_jti is not 1-256 characters of text with its expiry";
  }
  if (!record.dpop_proof_jti.empty() &&
      (!record.dpop_proof_expires_at || record.dpop_proof_jti.size() > 256 ||
       !domain::is_clean_text(record.dpop_proof_jti))) {
    return "dpop_proof_jti is not 1-256 characters of text with its expiry";
  }
  if (!record.dpop_jkt.empty() && !is_thumbprint(record.dpop_jkt)) {
    return "dpop_jkt is not a base64url SHA-256 thumbprint";
  }
  return std::nullopt;
}

TokenArrays token_arrays(const std::vector<const TokenRecord*>& records) {
  ArrayLiteral tenant_ids, ids, client_ids, secret_ids, api_ids, scopes, formats, hashes, issued_at,
      expires_at, master_keys, assertion_jtis, assertion_expiries, dpop_jkts, proof_jtis,
      proof_expiries;
  for (const auto* r : records) {
    tenant_ids.add_integer(r->tenant_id.value);
    ids.add_plain(crypto::uuid_text(r->id));
    // Client ids ([A-Za-z0-9_-]) and scope lists (scope characters and
    // spaces) hold no quote or backslash, but are quoted and escaped anyway.
    client_ids.add_quoted(r->client_id);
    secret_ids.add_integer(r->secret_id.value);
    api_ids.add_integer(r->api_id.value);
    scopes.add_quoted(r->scope);
    formats.add_plain(domain::to_string(r->format));
    hashes.add_bytea(r->token_hash);
    issued_at.add_integer(domain::to_unix_micros(r->issued_at));
    expires_at.add_integer(domain::to_unix_micros(r->expires_at));
    master_keys.add_integer(r->master_key.value);
    if (r->assertion_jti.empty() || !r->assertion_expires_at) {
      assertion_jtis.add_null();
      assertion_expiries.add_null();
    } else {
      assertion_jtis.add_quoted(r->assertion_jti);
      assertion_expiries.add_integer(domain::to_unix_micros(*r->assertion_expires_at));
    }
    if (r->dpop_jkt.empty()) {
      dpop_jkts.add_null();
    } else {
      dpop_jkts.add_quoted(r->dpop_jkt);
    }
    if (r->dpop_proof_jti.empty() || !r->dpop_proof_expires_at) {
      proof_jtis.add_null();
      proof_expiries.add_null();
    } else {
      proof_jtis.add_quoted(r->dpop_proof_jti);
      proof_expiries.add_integer(domain::to_unix_micros(*r->dpop_proof_expires_at));
    }
  }
  return {std::move(tenant_ids).take(),
          std::move(ids).take(),
          std::move(client_ids).take(),
          std::move(secret_ids).take(),
          std::move(api_ids).take(),
          std::move(scopes).take(),
          std::move(formats).take(),
          std::move(hashes).take(),
          std::move(issued_at).take(),
          std::move(expires_at).take(),
          std::move(master_keys).take(),
          std::move(assertion_jtis).take(),
          std::move(assertion_expiries).take(),
          std::move(dpop_jkts).take(),
          std::move(proof_jtis).take(),
          std::move(proof_expiries).take()};
}

}  // namespace tessera::store::postgres
