#include "metrics/probes.hpp"

#include "metrics/registry.hpp"

namespace tessera::metrics {
namespace {

std::size_t status_class(int status) {
  if (status >= 500) return 2;
  if (status >= 400) return 1;
  return 0;
}

// The index of Registry::token_requests.
std::size_t outcome_of(std::optional<domain::OAuthErrorCode> error) {
  using domain::OAuthErrorCode;
  if (!error) return 0;
  switch (*error) {
    case OAuthErrorCode::invalid_request:
      return 1;
    case OAuthErrorCode::invalid_client:
      return 2;
    case OAuthErrorCode::invalid_grant:
      return 3;
    case OAuthErrorCode::unauthorized_client:
      return 4;
    case OAuthErrorCode::unsupported_grant_type:
      return 5;
    case OAuthErrorCode::invalid_scope:
      return 6;
    case OAuthErrorCode::invalid_target:
      return 7;
    case OAuthErrorCode::not_found:
    case OAuthErrorCode::method_not_allowed:
      return 8;
    case OAuthErrorCode::too_many_requests:
      return 9;
    case OAuthErrorCode::temporarily_unavailable:
      return 10;
    case OAuthErrorCode::server_error:
      return 11;
    case OAuthErrorCode::invalid_dpop_proof:
      return 12;
    case OAuthErrorCode::use_dpop_nonce:
      return 13;
  }
  return 8;
}

}  // namespace

void request_answered(http::ListenerKind listener, Route route, int status, double seconds) {
  auto& by_route = registry().request_seconds[static_cast<std::size_t>(listener)];
  auto* series = by_route[static_cast<std::size_t>(route)][status_class(status)];
  if (series == nullptr)
    series = by_route[static_cast<std::size_t>(Route::other)][status_class(status)];
  series->Observe(seconds);
}

void answer_dropped(http::ListenerKind listener, http::DropReason reason) {
  registry()
      .answers_dropped[static_cast<std::size_t>(listener)][static_cast<std::size_t>(reason)]
      ->Increment();
}

void token_answered(std::optional<domain::OAuthErrorCode> error) {
  registry().token_requests[outcome_of(error)]->Increment();
}

void token_issued(domain::TokenFormat format) {
  registry().tokens_issued[static_cast<std::size_t>(format)]->Increment();
}

void token_batch_sent(std::size_t rows) {
  registry().batch_rows->Observe(static_cast<double>(rows));
}

void token_batch_finished(double seconds) {
  registry().batch_commit_seconds->Observe(seconds);
}

void token_batches_failed(std::size_t batches) {
  if (batches > 0) registry().batches_failed->Increment(static_cast<double>(batches));
}

void pool_opened(unsigned size) {
  registry().pool_connections->Increment(size);
}
void pool_closed(unsigned size) {
  registry().pool_connections->Decrement(size);
}
void pool_lease_taken() {
  registry().pool_in_use->Increment();
}
void pool_lease_returned() {
  registry().pool_in_use->Decrement();
}
void pool_wait_began() {
  registry().pool_waiting->Increment();
}

void pool_wait_ended() {
  registry().pool_waiting->Decrement();
}
void pool_waited(double seconds) {
  registry().pool_wait_seconds->Observe(seconds);
}

void cache_looked_up(Cache cache, bool hit) {
  const auto c = static_cast<std::size_t>(cache);
  (hit ? registry().cache_hits[c] : registry().cache_misses[c])->Increment();
}

void set_cache_entries(Cache cache, std::size_t entries) {
  registry().cache_entries[static_cast<std::size_t>(cache)]->Set(static_cast<double>(entries));
}

void set_rate_limited_keys(Limiter limiter, std::size_t keys) {
  registry().rate_limited_keys[static_cast<std::size_t>(limiter)]->Set(static_cast<double>(keys));
}

void invalidation_received() {
  registry().invalidations->Increment();
}

void invalidation_heartbeat_heard(double seconds) {
  registry().invalidation_lag_seconds->Observe(seconds);
}

}  // namespace tessera::metrics
