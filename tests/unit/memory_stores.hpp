// What the public endpoints' tests (public_endpoints_fixture.hpp) keep in
// memory instead of PostgreSQL: a clock the test moves, the stores behind
// the token endpoint, introspection and revocation, and the jtis of client
// assertions. The repositories behind the same interfaces are tested in
// tests/pg.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cache/change_barrier.hpp"
#include "cache/token_status_cache.hpp"
#include "domain/clock.hpp"
#include "store/admin_key_store.hpp"
#include "store/client_credentials_store.hpp"
#include "store/token_status_store.hpp"

namespace tessera::endpoints::test {

class ManualClock final : public domain::Clock {
 public:
  explicit ManualClock(domain::Timestamp start) : now_(start) {}
  domain::Timestamp now() const override { return now_; }
  void advance(std::chrono::seconds by) { now_ += by; }

 private:
  domain::Timestamp now_;
};

// Tenants, clients and token records, as the repositories would load and
// write them. A revocation reaches the token cache the way the change feed
// brings it there, before the change barrier returns.
class MemoryStore : public store::ClientCredentialsStore,
                    public store::TokenRecorder,
                    public store::TokenStatusStore,
                    public store::SecretUsage,
                    public cache::ChangeBarrier {
 public:
  std::optional<domain::TenantView> load_tenant(const std::string& slug) override {
    auto it = tenants.find(slug);
    if (it == tenants.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::string> slug_for_domain(const std::string&) override { return std::nullopt; }
  std::optional<domain::ClientView> load_client(domain::TenantId tenant,
                                                const std::string& client_id) override {
    ++client_loads;
    auto it = clients.find({tenant.value, client_id});
    if (it == clients.end()) return std::nullopt;
    return it->second;
  }

  void record(store::TokenRecord record, std::function<void(store::RecordResult)> done) override {
    store::TokenStatus status;
    status.client_id = record.client_id;
    status.api = record.api_id;
    status.scope = record.scope;
    status.format = record.format;
    status.token_hash = record.token_hash;
    status.master_key = record.master_key;
    status.issued_at = record.issued_at;
    status.expires_at = record.expires_at;
    status.dpop_jkt = record.dpop_jkt;
    statuses[{record.tenant_id.value, crypto::uuid_text(record.id)}] = status;
    records.push_back(std::move(record));
    done(store::RecordResult::committed);
  }

  std::optional<store::TokenStatus> find_status(domain::TenantId tenant,
                                                const crypto::Uuid& id) override {
    auto it = statuses.find({tenant.value, crypto::uuid_text(id)});
    if (it == statuses.end()) return std::nullopt;
    return it->second;
  }
  void revoke(domain::TenantId tenant, const crypto::Uuid& id) override {
    statuses.at({tenant.value, crypto::uuid_text(id)}).revoked = true;
    ++revocations;
    if (token_cache != nullptr) token_cache->token_revoked(tenant, id);
  }

  void mark_used(domain::TenantId, const std::string& client_id, domain::SecretId secret,
                 domain::Timestamp when) override {
    used.push_back({client_id, secret.value, when});
  }
  void rehash(domain::TenantId, const std::string& client_id, domain::SecretId secret,
              const domain::SecretRehash& rehash) override {
    rehashed.push_back({client_id, secret.value, rehash});
  }

  void wait_for_committed_changes() override { ++barrier_waits; }

  std::map<std::string, domain::TenantView> tenants;
  std::map<std::pair<std::int64_t, std::string>, domain::ClientView> clients;
  std::map<std::pair<std::int64_t, std::string>, store::TokenStatus> statuses;
  std::vector<store::TokenRecord> records;
  std::vector<std::tuple<std::string, std::int64_t, domain::Timestamp>> used;
  std::vector<std::tuple<std::string, std::int64_t, domain::SecretRehash>> rehashed;
  cache::TokenStatusCache* token_cache = nullptr;
  int client_loads = 0;
  int revocations = 0;
  int barrier_waits = 0;
};

// Client assertion jtis stored outside token records (introspection,
// revocation), as client_assertion_jtis' primary key keeps them.
class MemoryJtis : public store::AssertionJtiStore {
 public:
  bool claim(domain::TenantId tenant, const std::string& client_id, const std::string& jti,
             domain::Timestamp) override {
    return claimed.insert(std::to_string(tenant.value) + "/" + client_id + "/" + jti).second;
  }
  std::set<std::string> claimed;
};

// No admin key exists (admin keys on introspection are tested end to end).
class NoAdminKeys : public store::AdminKeyStore {
 public:
  store::CreatedAdminKey create(const std::string&, std::optional<domain::TenantId>,
                                const std::string&, domain::MasterKeyId,
                                const std::optional<domain::Actor>&) override {
    throw std::logic_error("not in these tests");
  }
  std::optional<store::StoredAdminKey> find_active(domain::AdminKeyId) override {
    return std::nullopt;
  }
  void touch(domain::AdminKeyId) override {}
  void rehash(domain::AdminKeyId, domain::MasterKeyId, const std::string&,
              domain::MasterKeyId) override {}
  domain::Page<store::AdminKeyInfo> list(std::optional<domain::TenantId>,
                                         std::optional<std::int64_t>, int) override {
    return {};
  }
  std::optional<store::AdminKeyInfo> find(domain::AdminKeyId) override { return std::nullopt; }
  void revoke(domain::AdminKeyId, const domain::Actor&) override {}
};

}  // namespace tessera::endpoints::test
