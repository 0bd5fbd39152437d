#include "metrics/registry.hpp"

#include <prometheus/family.h>

namespace tessera::metrics {
namespace {

using prometheus::Histogram;

const char* const kListenerNames[] = {"public", "admin"};
const char* const kStatusClassNames[] = {"2xx", "4xx", "5xx"};
const char* const kCacheNames[] = {"tenants", "domains", "clients", "token_status"};
const char* const kFormatNames[] = {"opaque", "jwt"};
const char* const kLimiterNames[] = {"client", "admin"};
// [outcome] of Registry::token_requests: "issued", then by OAuthErrorCode.
const char* const kOutcomeNames[kTokenOutcomes] = {"issued",
                                                   "invalid_request",
                                                   "invalid_client",
                                                   "invalid_grant",
                                                   "unauthorized_client",
                                                   "unsupported_grant_type",
                                                   "invalid_scope",
                                                   "invalid_target",
                                                   "other",
                                                   "rate_limited",
                                                   "unavailable",
                                                   "server_error",
                                                   "invalid_dpop_proof",
                                                   "use_dpop_nonce"};

// The routes each listener serves; a request to one not listed here counts
// under `other`.
constexpr Route kPublicRoutes[] = {Route::token, Route::introspect, Route::revoke, Route::discovery,
                                   Route::jwks,  Route::healthz,    Route::readyz, Route::other};
constexpr Route kAdminRoutes[] = {Route::admin, Route::metrics, Route::healthz, Route::readyz,
                                  Route::other};

const char* name_of(Route route) {
  switch (route) {
    case Route::token:
      return "token";
    case Route::introspect:
      return "introspect";
    case Route::revoke:
      return "revoke";
    case Route::discovery:
      return "discovery";
    case Route::jwks:
      return "jwks";
    case Route::healthz:
      return "healthz";
    case Route::readyz:
      return "readyz";
    case Route::metrics:
      return "metrics";
    case Route::admin:
      return "admin";
    case Route::other:
      break;
  }
  return "other";
}

// SPEC §6 asks p99 ≤ 15 ms of the token endpoint: bounds around it.
Histogram::BucketBoundaries latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
}

}  // namespace

Registry::Registry() : registry(std::make_shared<prometheus::Registry>()) {
  auto& requests = prometheus::BuildHistogram()
                       .Name("tessera_http_request_duration_seconds")
                       .Help(
                           "Time from a request parsed to its answer queued (or dropped), by "
                           "listener, route and status class.")
                       .Register(*registry);
  auto add_routes = [&](std::size_t listener, const auto& routes) {
    for (const Route route : routes) {
      for (std::size_t c = 0; c < kStatusClasses; ++c) {
        request_seconds[listener][static_cast<std::size_t>(route)][c] =
            &requests.Add({{"listener", kListenerNames[listener]},
                           {"route", name_of(route)},
                           {"status_class", kStatusClassNames[c]}},
                          latency_buckets());
      }
    }
  };
  add_routes(0, kPublicRoutes);
  add_routes(1, kAdminRoutes);

  auto& dropped = prometheus::BuildCounter()
                      .Name("tessera_http_answers_dropped_total")
                      .Help(
                          "Answers made but not written: their connection had closed "
                          "(descriptor_reused: its descriptor number already belonged to a "
                          "newer connection), or they were too old to be sure it had not.")
                      .Register(*registry);
  for (std::size_t l = 0; l < http::kListenerKinds; ++l) {
    for (std::size_t r = 0; r < static_cast<std::size_t>(http::kDropReasons); ++r) {
      answers_dropped[l][r] =
          &dropped.Add({{"listener", kListenerNames[l]},
                        {"reason", http::to_string(static_cast<http::DropReason>(r))}});
    }
  }

  auto& outcomes = prometheus::BuildCounter()
                       .Name("tessera_token_requests_total")
                       .Help(
                           "Token endpoint answers, by outcome: issued, the OAuth error, "
                           "rate_limited (429) or unavailable (503).")
                       .Register(*registry);
  for (std::size_t o = 0; o < kTokenOutcomes; ++o) {
    token_requests[o] = &outcomes.Add({{"outcome", kOutcomeNames[o]}});
  }
  auto& issued = prometheus::BuildCounter()
                     .Name("tessera_tokens_issued_total")
                     .Help("Tokens sent after their record committed, by format.")
                     .Register(*registry);
  for (std::size_t f = 0; f < tokens_issued.size(); ++f) {
    tokens_issued[f] = &issued.Add({{"format", kFormatNames[f]}});
  }

  batch_rows = &prometheus::BuildHistogram()
                    .Name("tessera_token_batch_rows")
                    .Help("Token records per group-commit batch sent to PostgreSQL.")
                    .Register(*registry)
                    .Add({}, Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128, 256, 512});
  batch_commit_seconds = &prometheus::BuildHistogram()
                              .Name("tessera_token_batch_commit_duration_seconds")
                              .Help("Time from a batch sent to its commit (or refusal) heard.")
                              .Register(*registry)
                              .Add({}, latency_buckets());
  batches_failed = &prometheus::BuildCounter()
                        .Name("tessera_token_batches_failed_total")
                        .Help(
                            "Group-commit batches whose tokens were refused (503): the "
                            "statement failed, or the connection broke or went silent.")
                        .Register(*registry)
                        .Add({});

  pool_connections = &prometheus::BuildGauge()
                          .Name("tessera_db_pool_connections")
                          .Help("Size of the PostgreSQL connection pool (TESSERA_DB_POOL).")
                          .Register(*registry)
                          .Add({});
  pool_in_use = &prometheus::BuildGauge()
                     .Name("tessera_db_pool_connections_in_use")
                     .Help("Pool connections leased now.")
                     .Register(*registry)
                     .Add({});
  pool_waiting = &prometheus::BuildGauge()
                      .Name("tessera_db_pool_waiting")
                      .Help("Callers waiting now for a free pool connection.")
                      .Register(*registry)
                      .Add({});
  pool_wait_seconds =
      &prometheus::BuildHistogram()
           .Name("tessera_db_pool_wait_duration_seconds")
           .Help("Time a caller waited for a pool connection (0 when one was free).")
           .Register(*registry)
           .Add({},
                Histogram::BucketBoundaries{0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 4});

  auto& hits = prometheus::BuildCounter()
                   .Name("tessera_cache_hits_total")
                   .Help(
                       "Cache lookups answered from memory (a known name or a remembered "
                       "unknown one).")
                   .Register(*registry);
  auto& misses = prometheus::BuildCounter()
                     .Name("tessera_cache_misses_total")
                     .Help("Cache lookups that had to read the database (or go to a worker to).")
                     .Register(*registry);
  auto& entries = prometheus::BuildGauge()
                      .Name("tessera_cache_entries")
                      .Help("Entries held per cache, read at scrape time.")
                      .Register(*registry);
  for (std::size_t c = 0; c < kCaches; ++c) {
    cache_hits[c] = &hits.Add({{"cache", kCacheNames[c]}});
    cache_misses[c] = &misses.Add({{"cache", kCacheNames[c]}});
    cache_entries[c] = &entries.Add({{"cache", kCacheNames[c]}});
  }

  invalidations = &prometheus::BuildCounter()
                       .Name("tessera_invalidation_notices_total")
                       .Help("Change notices (tessera_changes) received and applied to the caches.")
                       .Register(*registry)
                       .Add({});
  invalidation_lag_seconds =
      &prometheus::BuildHistogram()
           .Name("tessera_invalidation_lag_seconds")
           .Help(
               "Time from this instance's heartbeat NOTIFY to hearing it on its LISTEN "
               "connection: a bound on how late any notice committed before it arrives.")
           .Register(*registry)
           .Add({}, Histogram::BucketBoundaries{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                                2.5});

  auto& limited = prometheus::BuildGauge()
                      .Name("tessera_rate_limited_keys")
                      .Help(
                          "Keys (client ids, source addresses, admin keys) whose failed "
                          "authentications are answered 429 now, read at scrape time.")
                      .Register(*registry);
  for (std::size_t l = 0; l < rate_limited_keys.size(); ++l) {
    rate_limited_keys[l] = &limited.Add({{"limiter", kLimiterNames[l]}});
  }
}

Registry& registry() {
  // Never destroyed: a thread still answering while the process exits may
  // count after static destructors have run.
  static Registry* const instance = new Registry();
  return *instance;
}

}  // namespace tessera::metrics
