#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/models.hpp"

namespace tessera::store {

// A public key to register on a client, as crypto::read_public_jwk read it.
struct NewClientKey {
  std::optional<std::string> kid;
  domain::SigningAlg alg = domain::kDefaultSigningAlg;
  std::string thumbprint;  // RFC 7638
  std::string jwk_json;    // the public members only
};

// A registered key as the admin API shows it.
struct ClientKeyInfo {
  std::int64_t id = 0;
  std::optional<std::string> kid;
  domain::SigningAlg alg = domain::kDefaultSigningAlg;
  std::string thumbprint;
  std::string jwk_json;
  domain::Timestamp created_at;
};

// The public keys a client signs its assertions with (private_key_jwt,
// RFC 7523 §2.2). Throws store::NotFound for an absent client or key,
// store::Conflict for a key the client already has (field "thumbprint"), one
// key too many (domain::kMaxClientKeys), or removing the last key of a
// private_key_jwt client that has no jwks_uri: it could no longer
// authenticate at all.
class ClientKeyStore {
 public:
  virtual ~ClientKeyStore() = default;
  virtual std::vector<ClientKeyInfo> list_keys(domain::TenantId tenant,
                                               const domain::ClientId& client) = 0;
  virtual ClientKeyInfo add_key(domain::TenantId tenant, const domain::ClientId& client,
                                const NewClientKey& key, const domain::Actor& actor) = 0;
  virtual void remove_key(domain::TenantId tenant, const domain::ClientId& client, std::int64_t key,
                          const domain::Actor& actor) = 0;
};

}  // namespace tessera::store
