#include "store/postgres/change_feed.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "crypto/random.hpp"
#include "log/log.hpp"
#include "metrics/probes.hpp"
#include "store/postgres/listen_connection.hpp"

namespace tessera::store::postgres {
namespace {

using Clock = cache::Freshness::Clock;
using std::chrono::milliseconds;

constexpr const char* kChannel = "tessera_changes";

// "<tenant id>:<rest>" -> the tenant id and rest; throws on a malformed one.
std::pair<domain::TenantId, std::string> tenant_and_rest(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) throw std::invalid_argument("no tenant");
  return {domain::TenantId{std::stoll(text.substr(0, colon))}, text.substr(colon + 1)};
}

int milliseconds_until(Clock::time_point when, Clock::time_point now) {
  const auto left = std::chrono::duration_cast<milliseconds>(when - now).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 100));
}

}  // namespace

ChangeFeed::ChangeFeed(std::string database_url, cache::Invalidation& local,
                       cache::TokenRevocations& local_tokens, std::function<void()> drop_everything,
                       cache::Freshness& freshness)
    : database_url_(std::move(database_url)),
      local_(local),
      local_tokens_(local_tokens),
      drop_everything_(std::move(drop_everything)),
      freshness_(freshness),
      heartbeat_prefix_("heartbeat:" + crypto::random_token(12) + ":") {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::runtime_error("eventfd failed");
  thread_ = std::thread([this] { run(); });
}

ChangeFeed::~ChangeFeed() {
  stopping_ = true;
  wake();
  if (thread_.joinable()) thread_.join();
  confirmed_.notify_all();
  ::close(wake_fd_);
}

void ChangeFeed::wake() {
  const std::uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
}

// Payloads (migrations/0003_change_notices.sql): "tenants", "tenant:<id>",
// "client:<tenant id>:<client id>", "token:<tenant id>:<token uuid>",
// "tokens:<tenant id>", "revocation_epoch" (0005_revocation_epoch.sql); anything else (other
// instances' heartbeats) names nothing cached.
void ChangeFeed::apply(const std::string& payload, cache::Invalidation& local,
                       cache::TokenRevocations& local_tokens) {
  try {
    if (payload.rfind("token:", 0) == 0) {
      const auto [tenant, id] = tenant_and_rest(payload.substr(6));
      if (auto uuid = crypto::parse_uuid(id)) local_tokens.token_revoked(tenant, *uuid);
    } else if (payload.rfind("tokens:", 0) == 0) {
      local_tokens.tokens_revoked(domain::TenantId{std::stoll(payload.substr(7))});
    } else if (payload == "revocation_epoch") {
      local_tokens.revocation_epoch_changed();
    } else if (payload == "tenants") {
      local.tenants_added();
    } else if (payload.rfind("tenant:", 0) == 0) {
      local.tenant_changed(domain::TenantId{std::stoll(payload.substr(7))});
    } else if (payload.rfind("client:", 0) == 0) {
      const auto [tenant, client_id] = tenant_and_rest(payload.substr(7));
      local.client_changed(tenant, client_id);
    }
  } catch (const std::exception&) {
    // A malformed payload names nothing of ours.
  }
}

std::optional<std::uint64_t> ChangeFeed::own_heartbeat(const std::string& payload) const {
  if (payload.rfind(heartbeat_prefix_, 0) != 0) return std::nullopt;
  try {
    return std::stoull(payload.substr(heartbeat_prefix_.size()));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void ChangeFeed::wait_for_committed_changes() {
  const auto asked = Clock::now();
  if (!freshness_.trusted(asked)) {
    // The caches are bypassed already; make sure no heartbeat older than
    // this change restores them before the change is applied.
    freshness_.lose(asked);
    return;
  }
  beat_wanted_ = true;
  wake();
  std::unique_lock lock(mutex_);
  const bool applied = confirmed_.wait_for(
      lock, kCatchUpLimit, [&] { return freshness_.confirmed() >= asked || stopping_; });
  if (!applied) {
    freshness_.lose(asked);
    log::warn("change feed behind: caches bypassed until it catches up");
  }
}

void ChangeFeed::run() {
  auto pause = milliseconds(100);
  while (!stopping_) {
    try {
      ListenConnection connection(database_url_, kChannel, kApplicationName, kSilenceLimit);
      pause = milliseconds(100);
      serve(connection);
    } catch (const std::exception& e) {
      freshness_.lose(Clock::now());
      log::warn("change listener reconnecting; caches bypassed meanwhile", {{"error", e.what()}});
    }
    // Retries quickly at first, then once a second, and wakes for a stop.
    pollfd wake{wake_fd_, POLLIN, 0};
    if (!stopping_) ::poll(&wake, 1, static_cast<int>(pause.count()));
    pause = std::min(pause * 2, milliseconds(1000));
  }
}

void ChangeFeed::serve(ListenConnection& connection) {
  // Whatever was announced while no listener ran is unknown: start clean.
  // Only changes committed after the LISTEN arrive, and the first heartbeat
  // heard proves they did.
  drop_everything_();
  std::uint64_t sequence = 0;
  std::optional<Beat> in_flight;
  auto next_beat = Clock::now();
  while (!stopping_) {
    auto now = Clock::now();
    if (!connection.awaiting() && !in_flight && (now >= next_beat || beat_wanted_)) {
      beat_wanted_ = false;
      in_flight = Beat{++sequence, now};
      connection.notify(heartbeat_prefix_ + std::to_string(sequence));
      next_beat = now + kHeartbeat;
    }
    if (in_flight && now - in_flight->sent_at > kSilenceLimit) {
      throw std::runtime_error("no heartbeat heard for " + std::to_string(kSilenceLimit.count()) +
                               " ms");
    }
    pollfd fds[] = {{connection.socket(),
                     static_cast<short>(POLLIN | (connection.wants_to_write() ? POLLOUT : 0)), 0},
                    {wake_fd_, POLLIN, 0}};
    // Woken by an answer, a wanted beat or a stop; otherwise at the next
    // beat, or every 100 ms while a beat (or its statement's answer) is
    // still out, to check the silence limit.
    const bool can_beat = !in_flight && !connection.awaiting();
    const int wait = !can_beat ? 100 : beat_wanted_ ? 0 : milliseconds_until(next_beat, now);
    ::poll(fds, 2, wait);
    if (fds[1].revents & POLLIN) {
      std::uint64_t count = 0;
      (void)!::read(wake_fd_, &count, sizeof count);
    }
    for (const auto& payload : connection.receive()) {
      const auto beat = own_heartbeat(payload);
      if (!beat) {
        apply(payload, local_, local_tokens_);
        metrics::invalidation_received();
        continue;
      }
      if (in_flight && *beat == in_flight->sequence) {
        // Notices carry no commit time; a heartbeat goes the same way
        // (NOTIFY, commit, delivery) and its round trip bounds their lag.
        metrics::invalidation_heartbeat_heard(
            std::chrono::duration<double>(Clock::now() - in_flight->sent_at).count());
        freshness_.confirm(in_flight->sent_at);
        in_flight.reset();
        { std::lock_guard lock(mutex_); }
        confirmed_.notify_all();
      }
    }
  }
}

}  // namespace tessera::store::postgres
