#include "store/postgres/client_repository.hpp"

#include <pqxx/pqxx>

#include "store/errors.hpp"
#include "store/postgres/client_key_repository.hpp"
#include "store/postgres/page.hpp"
#include "store/postgres/rows.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

domain::Client select_client(pqxx::work& tx, domain::TenantId tenant, const domain::ClientId& id) {
  auto rows = tx.exec_params(sql::kSelectClient, tenant.value, id.value);
  if (rows.empty()) throw NotFound("client not found");
  return read_client(rows[0]);
}

// Claims are not secret, but their values are the client's business: the
// trail records names only.
nlohmann::json claim_names(const nlohmann::json& claims) {
  auto names = nlohmann::json::array();
  for (const auto& member : claims.items()) names.push_back(member.key());
  return names;
}

// Names added, removed or given another value by a PATCH.
nlohmann::json changed_claim_names(const nlohmann::json& before, const nlohmann::json& after) {
  auto names = nlohmann::json::array();
  for (const auto& member : after.items()) {
    if (!before.contains(member.key()) || before.at(member.key()) != member.value()) {
      names.push_back(member.key());
    }
  }
  for (const auto& member : before.items()) {
    if (!after.contains(member.key())) names.push_back(member.key());
  }
  return names;
}

}  // namespace

domain::Client ClientRepository::create(domain::TenantId tenant, const NewClient& client,
                                        const domain::Actor& actor) {
  return pool_.run([&](pqxx::connection& c) {
    try {
      pqxx::work tx(c);
      tx.exec_params(sql::kInsertClient, tenant.value, client.client_id.value, client.name,
                     nullable(text_of(client.token_ttl)), client.can_introspect,
                     domain::to_string(client.auth_method), nullable(client.jwks_uri),
                     domain::to_string(client.dpop), client.dpop_nonce, client.claims.dump());
      std::string secret_kind = "none";
      if (client.secret && client.secret->keyed_hash) {
        secret_kind = "generated";
        tx.exec_params(sql::kInsertClientSecret, tenant.value, client.client_id.value, secret_kind,
                       pqxx::binarystring(*client.secret->keyed_hash), nullptr,
                       client.secret->master_key.value);
      } else if (client.secret) {
        secret_kind = "imported";
        tx.exec_params(sql::kInsertClientSecret, tenant.value, client.client_id.value, secret_kind,
                       nullptr, nullable(client.secret->argon2_hash), nullptr);
      }
      auto created = select_client(tx, tenant, client.client_id);
      write_audit(tx, tenant.value, &actor, "client.create", "client", created.client_id.value,
                  {{"name", created.name},
                   {"secret", secret_kind},
                   {"token_endpoint_auth_method", domain::to_string(created.auth_method)},
                   {"dpop", domain::to_string(created.dpop)},
                   {"dpop_nonce", created.dpop_nonce},
                   {"claims", claim_names(created.claims)}});
      // After client.create, so the trail reads in order.
      for (const auto& key : client.keys) {
        insert_client_key(tx, tenant, client.client_id, key, actor);
      }
      tx.commit();
      return created;
    } catch (const pqxx::unique_violation&) {
      rethrow_as_conflict();
      throw;
    }
  });
}

std::optional<domain::Client> ClientRepository::find(domain::TenantId tenant,
                                                     const domain::ClientId& id) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<domain::Client> {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(sql::kSelectClient, tenant.value, id.value);
    if (rows.empty()) return std::nullopt;
    return read_client(rows[0]);
  });
}

domain::Page<domain::Client> ClientRepository::list(domain::TenantId tenant,
                                                    const std::optional<std::string>& after,
                                                    int limit) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(sql::kListClients, tenant.value, after.value_or(""), limit + 1);
    return make_page<domain::Client>(rows, limit, read_client,
                                     [](const domain::Client& cl) { return cl.client_id.value; });
  });
}

domain::Client ClientRepository::update(domain::TenantId tenant, const domain::ClientId& id,
                                        const ClientPatch& patch, const domain::Actor& actor) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // Held before it is read: a change that commits meanwhile is what this
    // one replaces, and what the audit event's claim names compare with;
    // no key is removed meanwhile either (ClientKeyRepository).
    tx.exec_params(sql::kLockClientKeyHolder, tenant.value, id.value);
    auto current = select_client(tx, tenant, id);
    if (patch.jwks_uri && !*patch.jwks_uri &&
        current.auth_method == domain::ClientAuthMethod::private_key_jwt) {
      if (tx.exec_params1(sql::kCountClientKeys, tenant.value, id.value)[0].as<long>() == 0) {
        throw Conflict("jwks_uri",
                       "jwks_uri is the only source of keys of this private_key_jwt client: "
                       "add a key before clearing it");
      }
    }
    std::optional<std::string> status;
    if (patch.status) status = domain::to_string(*patch.status);
    std::optional<std::string> dpop;
    if (patch.dpop) dpop = domain::to_string(*patch.dpop);
    tx.exec_params(sql::kUpdateClient, tenant.value, id.value, patch.name.has_value(),
                   nullable(patch.name), patch.token_ttl.has_value(),
                   nullable(text_of(patch.token_ttl.value_or(std::nullopt))),
                   patch.can_introspect.has_value(), patch.can_introspect.value_or(false),
                   patch.status.has_value(), nullable(status), patch.jwks_uri.has_value(),
                   nullable(patch.jwks_uri.value_or(std::nullopt)), patch.dpop.has_value(),
                   nullable(dpop), patch.dpop_nonce.has_value(), patch.dpop_nonce.value_or(false),
                   patch.claims.has_value(), patch.claims ? patch.claims->dump() : "{}");
    auto updated = select_client(tx, tenant, id);
    nlohmann::json changed = nlohmann::json::array();
    if (patch.name) changed.push_back("name");
    if (patch.token_ttl) changed.push_back("token_ttl");
    if (patch.can_introspect) changed.push_back("can_introspect");
    if (patch.status) changed.push_back("status");
    if (patch.jwks_uri) changed.push_back("jwks_uri");
    if (patch.dpop) changed.push_back("dpop");
    if (patch.dpop_nonce) changed.push_back("dpop_nonce");
    if (patch.claims) changed.push_back("claims");
    nlohmann::json details{{"changed", changed}, {"status", domain::to_string(updated.status)}};
    if (patch.claims) details["claims"] = changed_claim_names(current.claims, updated.claims);
    write_audit(tx, tenant.value, &actor, "client.update", "client", id.value, details);
    tx.commit();
    return updated;
  });
}

void ClientRepository::remove(domain::TenantId tenant, const domain::ClientId& id,
                              const domain::Actor& actor) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto client = select_client(tx, tenant, id);
    // Marked first: that waits for a grant being put, which the delete of
    // the grants below then sees.
    tx.exec_params(sql::kMarkClientDeleted, tenant.value, id.value);
    tx.exec_params(sql::kDeleteGrantsOfClient, tenant.value, id.value);
    write_audit(tx, tenant.value, &actor, "client.delete", "client", id.value,
                {{"name", client.name}});
    tx.commit();
  });
}

std::vector<domain::Grant> ClientRepository::list(domain::TenantId tenant,
                                                  const domain::ClientId& client) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<domain::Grant> grants;
    for (const auto& row : tx.exec_params(sql::kListGrants, tenant.value, client.value)) {
      grants.push_back(read_grant(row));
    }
    return grants;
  });
}

domain::Grant ClientRepository::put(domain::TenantId tenant, const domain::ClientId& client,
                                    domain::ApiId api, const std::vector<std::string>& scopes,
                                    const nlohmann::json& claims, const domain::Actor& actor) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // A deleted client or API takes no grant, and one deleted meanwhile
    // waits for this commit, then drops the grant (see remove()).
    if (tx.exec_params(sql::kLockLiveClient, tenant.value, client.value).empty()) {
      throw NotFound("client not found");
    }
    if (tx.exec_params(sql::kLockLiveApi, tenant.value, api.value).empty()) {
      throw NotFound("API not found");
    }
    tx.exec_params(sql::kUpsertGrant, tenant.value, client.value, api.value, claims.dump());
    tx.exec_params(sql::kDeleteGrantScopes, tenant.value, client.value, api.value);
    for (const auto& scope : scopes) {
      tx.exec_params(sql::kInsertGrantScope, tenant.value, client.value, api.value, scope);
    }
    auto grant =
        read_grant(tx.exec_params1(sql::kSelectGrant, tenant.value, client.value, api.value));
    write_audit(tx, tenant.value, &actor, "grant.put", "grant",
                client.value + "/" + std::to_string(api.value),
                {{"scopes", grant.scopes}, {"claims", claim_names(grant.claims)}});
    tx.commit();
    return grant;
  });
}

bool ClientRepository::remove(domain::TenantId tenant, const domain::ClientId& client,
                              domain::ApiId api, const domain::Actor& actor) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto deleted = tx.exec_params(sql::kDeleteGrant, tenant.value, client.value, api.value);
    if (deleted.affected_rows() == 0) return false;
    write_audit(tx, tenant.value, &actor, "grant.delete", "grant",
                client.value + "/" + std::to_string(api.value), nlohmann::json::object());
    tx.commit();
    return true;
  });
}

}  // namespace tessera::store::postgres
