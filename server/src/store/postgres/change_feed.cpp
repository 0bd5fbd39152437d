#include "store/postgres/change_feed.hpp"

#include <pqxx/pqxx>
#include <stdexcept>
#include <utility>

#include "log/log.hpp"

namespace tessera::store::postgres {
namespace {

constexpr const char* kChannel = "tessera_changes";
constexpr const char* kNotify = "SELECT pg_notify('tessera_changes', $1)";

class Receiver : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& connection, cache::Invalidation& local,
           cache::TokenRevocations& local_tokens)
      : pqxx::notification_receiver(connection, kChannel), local_(local), local_tokens_(local_tokens) {}
  void operator()(const std::string& payload, int) override {
    ChangeFeed::apply(payload, local_, local_tokens_);
  }

 private:
  cache::Invalidation& local_;
  cache::TokenRevocations& local_tokens_;
};

// "<tenant id>:<rest>" -> the tenant id and rest; throws on a malformed one.
std::pair<domain::TenantId, std::string> tenant_and_rest(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) throw std::invalid_argument("no tenant");
  return {domain::TenantId{std::stoll(text.substr(0, colon))}, text.substr(colon + 1)};
}

}  // namespace

ChangeFeed::ChangeFeed(Pool& pool, std::string database_url, cache::Invalidation& local,
                       cache::TokenRevocations& local_tokens, std::function<void()> drop_everything)
    : pool_(pool),
      database_url_(std::move(database_url)),
      local_(local),
      local_tokens_(local_tokens),
      drop_everything_(std::move(drop_everything)) {
  thread_ = std::thread([this] { listen(); });
}

ChangeFeed::~ChangeFeed() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

// Payloads: "tenant:<id>", "client:<tenant id>:<client id>", "tenants",
// "token:<tenant id>:<token uuid>", "tokens:<tenant id>".
void ChangeFeed::apply(const std::string& payload, cache::Invalidation& local,
                       cache::TokenRevocations& local_tokens) {
  try {
    if (payload.rfind("token:", 0) == 0) {
      const auto [tenant, id] = tenant_and_rest(payload.substr(6));
      if (auto uuid = crypto::parse_uuid(id)) local_tokens.token_revoked(tenant, *uuid);
    } else if (payload.rfind("tokens:", 0) == 0) {
      local_tokens.tokens_revoked(domain::TenantId{std::stoll(payload.substr(7))});
    } else if (payload == "tenants") {
      local.tenants_added();
    } else if (payload.rfind("tenant:", 0) == 0) {
      local.tenant_changed(domain::TenantId{std::stoll(payload.substr(7))});
    } else if (payload.rfind("client:", 0) == 0) {
      const auto colon = payload.find(':', 7);
      if (colon == std::string::npos) return;
      local.client_changed(domain::TenantId{std::stoll(payload.substr(7, colon - 7))},
                           payload.substr(colon + 1));
    }
  } catch (const std::exception&) {
    // A malformed payload names nothing of ours.
  }
}

void ChangeFeed::tenant_changed(domain::TenantId tenant) {
  local_.tenant_changed(tenant);
  publish("tenant:" + std::to_string(tenant.value));
}

void ChangeFeed::client_changed(domain::TenantId tenant, const std::string& client_id) {
  local_.client_changed(tenant, client_id);
  publish("client:" + std::to_string(tenant.value) + ":" + client_id);
}

void ChangeFeed::tenants_added() {
  local_.tenants_added();
  publish("tenants");
}

void ChangeFeed::token_revoked(domain::TenantId tenant, const crypto::Uuid& id) {
  local_tokens_.token_revoked(tenant, id);
  publish("token:" + std::to_string(tenant.value) + ":" + crypto::uuid_text(id));
}

void ChangeFeed::tokens_revoked(domain::TenantId tenant) {
  local_tokens_.tokens_revoked(tenant);
  publish("tokens:" + std::to_string(tenant.value));
}

void ChangeFeed::publish(const std::string& payload) {
  try {
    pool_.run([&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      tx.exec_params(kNotify, payload);
    });
  } catch (const std::exception& e) {
    // The change is committed and this instance's cache is right; other
    // instances resynchronise when their listener reconnects.
    log::warn("cache change not published", {{"error", e.what()}});
  }
}

void ChangeFeed::listen() {
  while (!stopping_) {
    try {
      auto connection = connect(database_url_);
      Receiver receiver(*connection, local_, local_tokens_);
      // Whatever was published while no listener ran is unknown: start clean.
      drop_everything_();
      while (!stopping_) connection->await_notification(0, 200'000);
    } catch (const std::exception& e) {
      log::warn("cache change listener reconnecting", {{"error", e.what()}});
      for (int i = 0; i < 10 && !stopping_; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }
}

}  // namespace tessera::store::postgres
