#pragma once

#include <cstddef>
#include <optional>

#include "domain/oauth_error.hpp"
#include "domain/types.hpp"
#include "http/answer_drop.hpp"
#include "http/listener_kind.hpp"
#include "metrics/route.hpp"

// What the server's code tells /metrics, as plain calls: no Prometheus type
// reaches the code that counts (metrics/registry.hpp holds those). Each call
// is a few atomic operations on a series looked up once, at start; none
// allocates or takes a lock shared between requests.
namespace tessera::metrics {

// One request answered (or dropped), `seconds` after it was parsed.
void request_answered(http::ListenerKind listener, Route route, int status, double seconds);
// An answer that was made but not written (http/answer_drop.hpp).
void answer_dropped(http::ListenerKind listener, http::DropReason reason);

// The token endpoint answered: with a token (no error), or with this error.
void token_answered(std::optional<domain::OAuthErrorCode> error);
// A token's record committed and the token was sent.
void token_issued(domain::TokenFormat format);

// Group commit (store/postgres/token_batcher.hpp).
void token_batch_sent(std::size_t rows);
// A batch's statement answered (committed or refused), `seconds` after it was sent.
void token_batch_finished(double seconds);
// Batches whose tokens were all refused.
void token_batches_failed(std::size_t batches);

// The database pool (store/postgres/pool.hpp).
void pool_opened(unsigned size);
void pool_closed(unsigned size);
void pool_lease_taken();
void pool_lease_returned();
void pool_wait_began();
void pool_wait_ended();
// How long an acquire waited for a connection (0 when one was free).
void pool_waited(double seconds);

// The in-process caches (cache/).
enum class Cache : std::uint8_t { tenants, domains, clients, token_status };
inline constexpr std::size_t kCaches = 4;
void cache_looked_up(Cache cache, bool hit);
void set_cache_entries(Cache cache, std::size_t entries);

// Keys (client ids, source addresses, admin keys) whose failures are being
// refused with 429 now (domain/failure_limiter.hpp).
enum class Limiter : std::uint8_t { client, admin };
void set_rate_limited_keys(Limiter limiter, std::size_t keys);

// Change notices (store/postgres/change_feed.hpp): one applied, and how long
// a heartbeat took from NOTIFY to its own LISTEN.
void invalidation_received();
void invalidation_heartbeat_heard(double seconds);

}  // namespace tessera::metrics
