#include "store/postgres/token_rows.hpp"

#include "crypto/hex.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"

namespace tessera::store::postgres {
namespace {

// crypto::keyed_hash's size (BLAKE2b-256).
constexpr std::size_t kTokenHashBytes = 32;

void open_array(std::string& array) { array += array.empty() ? "{" : ","; }

// Array elements that never need quoting: numbers and UUIDs.
void append_plain(std::string& array, const std::string& value) {
  open_array(array);
  array += value;
}

// Quoted element: client ids ([A-Za-z0-9_-]) and scope lists (scope
// characters and spaces) hold no quote or backslash, but escape anyway.
void append_quoted(std::string& array, const std::string& value) {
  open_array(array);
  array += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') array += '\\';
    array += c;
  }
  array += '"';
}

void append_bytea(std::string& array, const std::string& bytes) {
  open_array(array);
  if (bytes.empty()) {
    array += "NULL";
    return;
  }
  array += "\"\\\\x";  // the element \x…, its backslash escaped in the array literal
  crypto::append_hex(array, bytes);
  array += '"';
}

void close_array(std::string& array) { array += array.empty() ? "{}" : "}"; }

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

}  // namespace

std::optional<std::string_view> why_unstorable(const TokenRecord& record) {
  if (!domain::is_possible_client_id(record.client_id)) return "client_id is not a possible one";
  if (!is_scope_list(record.scope)) return "scope is not scope values separated by single spaces";
  if (!record.token_hash.empty() && record.token_hash.size() != kTokenHashBytes) {
    return "token_hash is neither empty nor 32 bytes";
  }
  return std::nullopt;
}

TokenArrays token_arrays(const std::vector<const TokenRecord*>& records) {
  TokenArrays a;
  for (const auto* r : records) {
    append_plain(a.tenant_ids, std::to_string(r->tenant_id.value));
    append_plain(a.ids, crypto::uuid_text(r->id));
    append_quoted(a.client_ids, r->client_id);
    append_plain(a.secret_ids, std::to_string(r->secret_id.value));
    append_plain(a.api_ids, std::to_string(r->api_id.value));
    append_quoted(a.scopes, r->scope);
    append_plain(a.formats, domain::to_string(r->format));
    append_bytea(a.hashes, r->token_hash);
    append_plain(a.issued_at, std::to_string(domain::to_unix_micros(r->issued_at)));
    append_plain(a.expires_at, std::to_string(domain::to_unix_micros(r->expires_at)));
  }
  for (auto* array : {&a.tenant_ids, &a.ids, &a.client_ids, &a.secret_ids, &a.api_ids, &a.scopes,
                      &a.formats, &a.hashes, &a.issued_at, &a.expires_at}) {
    close_array(*array);
  }
  return a;
}

}  // namespace tessera::store::postgres
