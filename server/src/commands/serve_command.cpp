#include <pthread.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <ctime>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "admin/admin_dispatch.hpp"
#include "cache/local_caches.hpp"
#include "commands/commands.hpp"
#include "commands/prerequisites.hpp"
#include "endpoints/health.hpp"
#include "endpoints/public_dispatch.hpp"
#include "http/listener.hpp"
#include "log/log.hpp"
#include "metrics/exposition.hpp"
#include "metrics/probes.hpp"
#include "outbound/jwks_fetcher.hpp"
#include "store/postgres/admin_key_repository.hpp"
#include "store/postgres/api_repository.hpp"
#include "store/postgres/assertion_jti_repository.hpp"
#include "store/postgres/change_feed.hpp"
#include "store/postgres/client_credentials_repository.hpp"
#include "store/postgres/client_key_repository.hpp"
#include "store/postgres/client_repository.hpp"
#include "store/postgres/database_probe.hpp"
#include "store/postgres/lifecycle_repository.hpp"
#include "store/postgres/migrator.hpp"
#include "store/postgres/partition_keeper.hpp"
#include "store/postgres/pool.hpp"
#include "store/postgres/revocation_epoch_repository.hpp"
#include "store/postgres/secret_usage_writer.hpp"
#include "store/postgres/signing_key_repository.hpp"
#include "store/postgres/sql.hpp"
#include "store/postgres/tenant_repository.hpp"
#include "store/postgres/token_batcher.hpp"
#include "store/postgres/token_status_repository.hpp"

namespace tessera::commands {
namespace {

std::string join(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

// Refuses to serve a schema this binary does not match (SPEC §1).
void check_schema(const config::Config& config) {
  auto connection = store::postgres::connect(config.database_url);
  store::postgres::Migrator migrator(*connection, store::postgres::embedded_migrations());
  const auto schema = migrator.check();
  if (!schema.pending.empty()) {
    throw std::runtime_error(std::to_string(schema.pending.size()) +
                             " migration(s) pending, first " + schema.pending.front() +
                             ": run `tessera migrate` first");
  }
  // A newer release's migrations are additive, so this binary keeps serving
  // on its schema (rolling upgrades), unless one declared otherwise.
  if (!schema.incompatible.empty()) {
    throw std::runtime_error(
        "the database has migration(s) from a newer release that break "
        "older servers (" +
        join(schema.incompatible) + "): upgrade this server to the release that ships them");
  }
  if (!schema.newer.empty()) {
    log::warn(
        "the database has migrations from a newer release; serving, since they are "
        "additive",
        {{"migrations", join(schema.newer)}});
  }
  // Token partitions exist ahead of time, so inserts never land in the
  // default partition.
  pqxx::nontransaction tx(*connection);
  tx.exec(store::postgres::sql::kEnsureTokenPartitions);
}

std::string describe(const config::ListenAddress& address) {
  return address.host + ":" + std::to_string(address.port);
}

const char* signal_name(int signal) {
  return signal == SIGTERM ? "SIGTERM" : "SIGINT";
}

// Waits up to `limit` for one of `signals` (blocked in every thread); the
// signal, or 0 once `limit` has passed.
int wait_for_signal(const sigset_t& signals, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return 0;
    const auto whole = std::chrono::duration_cast<std::chrono::seconds>(left);
    const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(left - whole);
    const timespec timeout{static_cast<time_t>(whole.count()), static_cast<long>(nanos.count())};
    const int received = sigtimedwait(&signals, nullptr, &timeout);
    if (received > 0) return received;
    if (errno != EAGAIN && errno != EINTR) return 0;
  }
}

// Which keys this instance accepts, by number and position (never a key).
void log_master_keys(const crypto::MasterKeyRing& keys, const config::Config& config) {
  std::string previous;
  for (const auto& key : keys.previous()) {
    previous += (previous.empty() ? "" : ",") + std::to_string(key.id.value);
  }
  log::info("master keys", {{"current", keys.current().id.value},
                            {"previous", previous.empty() ? "none" : previous},
                            {"previous_configured", config.previous_master_keys.size()}});
}

}  // namespace

int serve(const config::Config& config) {
  config::require_master_key(config);
  check_schema(config);
  // Every hash and sealed key made from here on records the current key's
  // number; what earlier keys made is checked with them.
  const auto master_keys = number_master_keys(config);
  log_master_keys(master_keys, config);

  // SIGTERM and SIGINT are taken by sigwait below; blocked before any thread
  // starts so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  store::DatabaseState database;
  endpoints::Readiness readiness(database);
  store::postgres::Pool pool(config.database_url, config.db_pool, std::chrono::seconds(4),
                             &database);
  store::postgres::DatabaseProbe probe(config.database_url, database);
  store::postgres::TenantRepository tenants(pool);
  store::postgres::ApiRepository apis(pool);
  store::postgres::ClientRepository clients(pool);
  store::postgres::AdminKeyRepository admin_keys(pool);
  store::postgres::LifecycleRepository lifecycle(pool);
  store::postgres::SigningKeyRepository signing_keys(pool);
  store::postgres::ClientKeyRepository client_keys(pool);

  // Bounded queues (SPEC §6): past a limit, or past the wait, 503.
  const http::WorkerPool::Limits queue_limits{config.queue_limit, config.queue_max_wait};
  http::WorkerPool public_workers("public", config.threads, queue_limits);
  http::WorkerPool admin_workers("admin", 2, queue_limits);
  // Argon2id has threads of its own: a burst of imported-secret checks (64
  // MiB and tens of milliseconds each) must not hold the workers that load
  // caches for everyone else.
  http::WorkerPool argon2_workers("argon2", config.threads,
                                  {config.argon2_queue, config.queue_max_wait});

  store::postgres::ClientCredentialsRepository credentials(pool);
  // Caches answer only while the change feed vouches for them, and no entry
  // for longer than TESSERA_CACHE_MAX_AGE (SPEC §6).
  cache::Freshness freshness(config.cache_max_age, store::postgres::ChangeFeed::kSilenceLimit);
  cache::Directory directory(credentials, master_keys.derive(crypto::KeyPurpose::signing_key_seal),
                             {}, freshness);
  store::postgres::TokenStatusRepository token_status(pool);
  store::postgres::RevocationEpochRepository revocation_epoch(pool);
  cache::TokenStatusCache token_cache(token_status, cache::TokenStatusCache::kDefaultBudget,
                                      freshness, &revocation_epoch);
  grants::ClientAuthenticator authenticator(
      master_keys.derive(crypto::KeyPurpose::client_secret_hash));
  cache::LocalCaches caches(directory, token_cache,
                            [&authenticator](domain::TenantId tenant, const std::string& client) {
                              authenticator.forget(tenant, client);
                            });
  store::postgres::ChangeFeed changes(
      config.database_url, caches, caches, [&caches] { caches.clear(); }, freshness);
  domain::FailureLimiter failures;        // client authentication
  domain::FailureLimiter admin_failures;  // admin keys, on both listeners
  store::postgres::TokenBatcher batcher(config.database_url,
                                        {config.queue_limit, config.queue_max_wait});
  store::postgres::SecretUsageWriter usage(pool);
  store::postgres::PartitionKeeper partitions(pool, config.token_retention);
  const domain::SystemClock clock;
  admin::AdminServices admin_services{tenants,
                                      apis,
                                      clients,
                                      clients,
                                      admin_keys,
                                      lifecycle,
                                      lifecycle,
                                      lifecycle,
                                      signing_keys,
                                      client_keys,
                                      master_keys.derive(crypto::KeyPurpose::client_secret_hash),
                                      master_keys.derive(crypto::KeyPurpose::admin_key_hash),
                                      master_keys.derive(crypto::KeyPurpose::signing_key_seal),
                                      changes,
                                      admin_failures,
                                      clock,
                                      config.allow_insecure_jwks_uri};
  grants::JtiReplays assertions;  // private_key_jwt jtis accepted here
  store::postgres::AssertionJtiRepository assertion_jtis(pool);
  const outbound::JwksFetchOptions jwks_fetch{config.allow_insecure_jwks_uri};
  grants::RemoteJwks remote_jwks(
      [jwks_fetch](const std::string& uri) { return outbound::fetch_jwks(uri, jwks_fetch); });
  // DPoP proof jtis accepted here: a proof lives a minute, so at high rates
  // this holds the last few seconds' (about 5 MB); the database's primary
  // key holds the rest.
  grants::JtiReplays dpop_proofs(20'000);
  const grants::DpopNonces dpop_nonces(master_keys.derive(crypto::KeyPurpose::dpop_nonce));
  grants::DpopKeys dpop_keys;  // the keys DPoP proofs carried, read once
  endpoints::PublicServices token_services{directory,
                                           authenticator,
                                           assertions,
                                           assertion_jtis,
                                           remote_jwks,
                                           dpop_proofs,
                                           dpop_nonces,
                                           dpop_keys,
                                           failures,
                                           admin_failures,
                                           batcher,
                                           usage,
                                           master_keys.derive(crypto::KeyPurpose::token_hash),
                                           config.issuer_base,
                                           token_cache,
                                           token_status,
                                           changes,
                                           admin_keys,
                                           master_keys.derive(crypto::KeyPurpose::admin_key_hash),
                                           public_workers,
                                           argon2_workers,
                                           clock};

  // Gauges read from these objects when /metrics is scraped.
  metrics::ScrapeHook scrape_hook([&] {
    const auto held = directory.usage();
    metrics::set_cache_entries(metrics::Cache::tenants, held.tenants);
    metrics::set_cache_entries(metrics::Cache::domains, held.domains);
    metrics::set_cache_entries(metrics::Cache::clients, held.clients);
    metrics::set_cache_entries(metrics::Cache::token_status, token_cache.entries());
    const auto now = clock.now();
    metrics::set_rate_limited_keys(metrics::Limiter::client, failures.limited_keys(now));
    metrics::set_rate_limited_keys(metrics::Limiter::admin, admin_failures.limited_keys(now));
  });

  http::ListenerOptions public_options;
  public_options.name = "public";
  public_options.kind = http::ListenerKind::public_api;
  public_options.address = config.public_addr;
  public_options.threads = config.threads;
  public_options.max_body_bytes = endpoints::kMaxPublicBody;
  public_options.body_limit_after_routing = true;  // 404 and 405 come first (SPEC §3.1)
  public_options.request_timeout = config.request_timeout;
  public_options.trusted_proxies = config.trusted_proxies;
  public_options.dispatch = endpoints::make_public_dispatch(token_services, readiness);
  public_options.error_response = endpoints::public_listener_error;
  http::Listener public_listener(std::move(public_options));

  http::ListenerOptions admin_options;
  admin_options.name = "admin";
  admin_options.kind = http::ListenerKind::admin_api;
  admin_options.address = config.admin_addr;
  admin_options.threads = 1;
  admin_options.max_body_bytes = 64 * 1024;
  admin_options.request_timeout = config.request_timeout;
  admin_options.trusted_proxies = config.trusted_proxies;
  admin_options.dispatch = admin::make_admin_dispatch(admin_services, admin_workers, readiness);
  admin_options.error_response = admin::admin_listener_error;
  http::Listener admin_listener(std::move(admin_options));
  public_listener.start();
  admin_listener.start();
  log::info("serving", {{"public", describe(config.public_addr)},
                        {"admin", describe(config.admin_addr)},
                        {"cores", config.cores},
                        {"threads", config.threads},
                        {"db_pool", config.db_pool}});

  int received = 0;
  sigwait(&signals, &received);
  // Rolling deploys (SPEC §6): /readyz turns 503 at once on both listeners,
  // so that load balancers stop sending traffic, while everything else is
  // still served for TESSERA_SHUTDOWN_DELAY. A second SIGTERM or SIGINT ends
  // the delay early (an operator in a hurry, Ctrl-C twice).
  readiness.begin_shutdown();
  log::info("shutting down", {{"signal", signal_name(received)},
                              {"delay_s", static_cast<long>(config.shutdown_delay.count())}});
  if (config.shutdown_delay.count() > 0) {
    if (const int again = wait_for_signal(signals, config.shutdown_delay)) {
      log::info("shutdown delay cut short", {{"signal", signal_name(again)}});
    }
  }

  // Stop accepting and taking work, let what is in flight finish, then close.
  public_listener.stop_accepting();
  admin_listener.stop_accepting();
  public_listener.begin_drain();
  admin_listener.begin_drain();
  const bool idle = public_listener.wait_idle(std::chrono::seconds(10)) &&
                    admin_listener.wait_idle(std::chrono::seconds(10));
  if (!idle) log::warn("requests still in flight at shutdown");
  batcher.stop();
  argon2_workers.stop();
  public_workers.stop();
  admin_workers.stop();
  public_listener.stop();
  admin_listener.stop();
  log::info("stopped");
  return 0;
}

}  // namespace tessera::commands
