#include "store/postgres/lifecycle_repository.hpp"

#include <pqxx/pqxx>

#include "domain/time.hpp"
#include "store/errors.hpp"
#include "store/postgres/page.hpp"
#include "store/postgres/rows.hpp"
#include "store/postgres/sql.hpp"

namespace tessera::store::postgres {
namespace {

std::optional<domain::Timestamp> optional_time(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return domain::from_unix_micros(field.as<std::int64_t>());
}

SecretInfo read_secret(const pqxx::row& row) {
  return {domain::SecretId{row[0].as<std::int64_t>()},
          domain::from_unix_micros(row[1].as<std::int64_t>()), optional_time(row[2]),
          optional_time(row[3]), optional_time(row[4])};
}

TokenInfo read_token(const pqxx::row& row) {
  TokenInfo t;
  t.id = row[0].as<std::string>();
  t.client_id = row[1].as<std::string>();
  t.api = domain::ApiId{row[2].as<std::int64_t>()};
  t.scope = row[3].as<std::string>();
  t.format =
      domain::parse_token_format(row[4].as<std::string>()).value_or(domain::TokenFormat::opaque);
  t.issued_at = domain::from_unix_micros(row[5].as<std::int64_t>());
  t.expires_at = domain::from_unix_micros(row[6].as<std::int64_t>());
  t.revoked_at = optional_time(row[7]);
  return t;
}

struct LockedClient {
  std::string status;
  bool key_only = false;  // private_key_jwt: keys, never a secret
};

// The client row, locked; NotFound when absent or deleted.
LockedClient lock_client(pqxx::work& tx, domain::TenantId tenant, const domain::ClientId& client) {
  auto rows = tx.exec_params(sql::kLockClientForUpdate, tenant.value, client.value);
  if (rows.empty()) throw NotFound("client not found");
  return {
      rows[0][0].as<std::string>(),
      rows[0][1].as<std::string>() == domain::to_string(domain::ClientAuthMethod::private_key_jwt)};
}

std::optional<std::string> filter_text(const std::optional<std::string>& v) {
  return v;
}

std::optional<std::string> filter_text(const std::optional<bool>& v) {
  if (!v) return std::nullopt;
  return std::string(*v ? "true" : "false");
}

std::optional<std::string> filter_text(const std::optional<domain::ApiId>& v) {
  if (!v) return std::nullopt;
  return std::to_string(v->value);
}

}  // namespace

std::vector<SecretInfo> LifecycleRepository::list_secrets(domain::TenantId tenant,
                                                          const domain::ClientId& client) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<SecretInfo> secrets;
    for (const auto& row : tx.exec_params(sql::kListSecrets, tenant.value, client.value)) {
      secrets.push_back(read_secret(row));
    }
    return secrets;
  });
}

SecretInfo LifecycleRepository::rotate_secret(domain::TenantId tenant,
                                              const domain::ClientId& client,
                                              const std::string& keyed_hash,
                                              domain::MasterKeyId master_key, int grace_seconds,
                                              const domain::Actor& actor) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // A key-only client authenticates with assertions alone: a secret would
    // quietly give it a second, weaker way in.
    if (lock_client(tx, tenant, client).key_only) {
      throw Conflict("",
                     "this client authenticates with private_key_jwt and has no secrets: "
                     "manage its keys with …/keys");
    }
    tx.exec_params(sql::kExpireOtherSecrets, tenant.value, client.value, grace_seconds);
    const auto id =
        tx.exec_params1(sql::kInsertClientSecret, tenant.value, client.value, "generated",
                        pqxx::binarystring(keyed_hash), nullptr, master_key.value)[0]
            .as<std::int64_t>();
    auto created = read_secret(tx.exec_params1(sql::kSelectSecret, tenant.value, client.value, id));
    write_audit(tx, tenant.value, &actor, "client.secret.rotate", "client", client.value,
                {{"secret_id", id}, {"grace_seconds", grace_seconds}});
    tx.commit();
    return created;
  });
}

void LifecycleRepository::revoke_secret(domain::TenantId tenant, const domain::ClientId& client,
                                        domain::SecretId secret, const domain::Actor& actor) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto locked = lock_client(tx, tenant, client);
    if (tx.exec_params(sql::kSelectSecret, tenant.value, client.value, secret.value).empty()) {
      throw NotFound("secret not found");
    }
    const auto others =
        tx.exec_params1(sql::kCountOtherValidSecrets, tenant.value, client.value, secret.value)[0]
            .as<long>();
    // The rule keeps a secret client able to authenticate; a key-only
    // client has no secrets to keep (its keys have a rule of their own).
    if (locked.status == "active" && !locked.key_only && others == 0) {
      throw Conflict("id", "this is the client's last valid secret: rotate it instead");
    }
    tx.exec_params(sql::kRevokeSecret, tenant.value, client.value, secret.value);
    write_audit(tx, tenant.value, &actor, "client.secret.revoke", "client", client.value,
                {{"secret_id", secret.value}});
    tx.commit();
  });
}

domain::Page<TokenInfo> LifecycleRepository::list_tokens(domain::TenantId tenant,
                                                         const TokenFilter& filter,
                                                         const std::optional<std::string>& after,
                                                         int limit) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    auto rows =
        tx.exec_params(sql::kListTokens, tenant.value, nullable(filter_text(filter.client_id)),
                       nullable(filter_text(filter.active)), nullable(filter_text(filter.api)),
                       nullable(after), limit + 1, domain::to_rfc3339(filter.at));
    return make_page<TokenInfo>(rows, limit, read_token, [](const TokenInfo& t) { return t.id; });
  });
}

std::optional<TokenInfo> LifecycleRepository::find_token(domain::TenantId tenant,
                                                         const std::string& id) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<TokenInfo> {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(sql::kSelectToken, tenant.value, id);
    if (rows.empty()) return std::nullopt;
    return read_token(rows[0]);
  });
}

bool LifecycleRepository::revoke_token(domain::TenantId tenant, const std::string& id,
                                       const domain::Actor& actor) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    if (tx.exec_params(sql::kRevokeToken, tenant.value, id).affected_rows() == 0) return false;
    write_audit(tx, tenant.value, &actor, "token.revoke", "token", id, nlohmann::json::object());
    tx.commit();
    return true;
  });
}

long LifecycleRepository::revoke_tokens(domain::TenantId tenant, const TokenFilter& filter,
                                        const domain::Actor& actor) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const long revoked = static_cast<long>(
        tx.exec_params(sql::kRevokeTokens, tenant.value, nullable(filter_text(filter.client_id)),
                       nullable(filter_text(filter.api)), domain::to_rfc3339(filter.at))
            .affected_rows());
    nlohmann::json details = {{"revoked", revoked}};
    if (filter.client_id) details["client_id"] = *filter.client_id;
    if (filter.api) details["api"] = filter.api->value;
    write_audit(tx, tenant.value, &actor, "token.revoke_bulk", "tenant",
                std::to_string(tenant.value), details);
    tx.commit();
    return revoked;
  });
}

domain::Page<AuditEvent> LifecycleRepository::list_audit_events(
    domain::TenantId tenant, std::optional<domain::Timestamp> since,
    std::optional<std::int64_t> after, int limit) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::optional<std::string> since_micros;
    if (since) since_micros = std::to_string(domain::to_unix_micros(*since));
    auto rows = tx.exec_params(sql::kListAuditEvents, tenant.value, after.value_or(0),
                               nullable(since_micros), limit + 1);
    auto read = [](const pqxx::row& row) {
      AuditEvent e;
      e.id = row[0].as<std::int64_t>();
      e.time = domain::from_unix_micros(row[1].as<std::int64_t>());
      if (!row[2].is_null()) e.actor_key_id = row[2].as<std::int64_t>();
      e.action = row[3].as<std::string>();
      e.target_type = row[4].as<std::string>();
      e.target_id = row[5].as<std::string>();
      e.details_json = row[6].as<std::string>();
      return e;
    };
    return make_page<AuditEvent>(rows, limit, read,
                                 [](const AuditEvent& e) { return std::to_string(e.id); });
  });
}

}  // namespace tessera::store::postgres
