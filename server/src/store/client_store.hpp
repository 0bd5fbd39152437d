#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/models.hpp"
#include "store/client_key_store.hpp"

namespace tessera::store {

struct NewClient {
  domain::ClientId client_id;
  std::string name;
  std::optional<int> token_ttl;
  bool can_introspect = false;
  domain::ClientAuthMethod auth_method = domain::ClientAuthMethod::client_secret_basic;
  std::optional<std::string> jwks_uri;
  domain::DpopMode dpop = domain::DpopMode::allowed;
  bool dpop_nonce = false;
  nlohmann::json claims = nlohmann::json::object();  // checked: domain/custom_claims.hpp
  // None for a private_key_jwt client: it never has a secret.
  std::optional<domain::NewClientSecret> secret;
  std::vector<NewClientKey> keys;  // registered with the client, each audited
};

struct ClientPatch {
  std::optional<std::string> name;
  std::optional<std::optional<int>> token_ttl;
  std::optional<bool> can_introspect;
  std::optional<domain::Status> status;
  std::optional<std::optional<std::string>> jwks_uri;  // nullopt inside: cleared
  std::optional<domain::DpopMode> dpop;
  std::optional<bool> dpop_nonce;
  std::optional<nlohmann::json> claims;  // replaces them all; {} clears
};

// Clients of a tenant and their grants. Throws store::NotFound for an absent
// or deleted client or API; store::Conflict (field "jwks_uri") for clearing
// the jwks_uri of a private_key_jwt client that has no registered key.
class ClientStore {
 public:
  virtual ~ClientStore() = default;
  virtual domain::Client create(domain::TenantId tenant, const NewClient& client,
                                const domain::Actor& actor) = 0;
  virtual std::optional<domain::Client> find(domain::TenantId tenant,
                                             const domain::ClientId& id) = 0;
  virtual domain::Page<domain::Client> list(domain::TenantId tenant,
                                            const std::optional<std::string>& after, int limit) = 0;
  virtual domain::Client update(domain::TenantId tenant, const domain::ClientId& id,
                                const ClientPatch& patch, const domain::Actor& actor) = 0;
  virtual void remove(domain::TenantId tenant, const domain::ClientId& id,
                      const domain::Actor& actor) = 0;
};

// Grants: which APIs and scopes a client may ask tokens for.
class GrantStore {
 public:
  virtual ~GrantStore() = default;
  virtual std::vector<domain::Grant> list(domain::TenantId tenant,
                                          const domain::ClientId& client) = 0;
  // Creates or replaces the grant, scopes and claims; scopes must be scopes
  // of the API, claims checked custom claims (domain/custom_claims.hpp).
  virtual domain::Grant put(domain::TenantId tenant, const domain::ClientId& client,
                            domain::ApiId api, const std::vector<std::string>& scopes,
                            const nlohmann::json& claims, const domain::Actor& actor) = 0;
  // false when there was no such grant.
  virtual bool remove(domain::TenantId tenant, const domain::ClientId& client, domain::ApiId api,
                      const domain::Actor& actor) = 0;
};

}  // namespace tessera::store
