#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/client_credentials_store.hpp"

namespace tessera::store::postgres {

// Token records as the batch INSERT takes them (TokenBatcher).

// The text form of the sixteen parameter arrays of sql::kInsertTokens (exposed
// for tests).
struct TokenArrays {
  std::string tenant_ids, ids, client_ids, secret_ids, api_ids, scopes, formats, hashes, issued_at,
      expires_at, master_keys, assertion_jtis, assertion_expiries, dpop_jkts, proof_jtis,
      proof_expiries;
};
TokenArrays token_arrays(const std::vector<const TokenRecord*>& records);

// Why this record is none that Tessera issues, so that it must not share a
// batch (a NUL or invalid UTF-8 in it would fail the whole INSERT), or
// nullopt when it can be stored: its client_id must be a possible client id
// (the CHECK on clients.client_id), its scope scope values separated by
// single spaces (or empty), its token_hash empty or 32 bytes (a keyed
// hash). The reason names the field, never its value.
std::optional<std::string_view> why_unstorable(const TokenRecord& record);

}  // namespace tessera::store::postgres
