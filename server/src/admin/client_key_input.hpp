#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/client_key_store.hpp"

namespace tessera::admin {

// One public JWK as a client key (crypto::read_public_jwk); AdminError
// invalid_request naming `field` and the reason when it is no such key.
store::NewClientKey read_client_key(const nlohmann::json& jwk, const std::string& field);

// A JWK Set given with a new client ({"keys": [JWK, …]}, at most
// domain::kMaxClientKeys, no key twice); errors name jwks.keys[i].
std::vector<store::NewClientKey> read_client_key_set(const nlohmann::json& jwks);

}  // namespace tessera::admin
