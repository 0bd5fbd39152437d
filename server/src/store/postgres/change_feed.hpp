#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "cache/change_barrier.hpp"
#include "cache/freshness.hpp"
#include "cache/invalidation.hpp"
#include "cache/token_revocations.hpp"

namespace tessera::store::postgres {

class ListenConnection;

// Cross-instance cache invalidation (SPEC §5, §6). Every change a cache
// holds is announced by the transaction that makes it (database triggers,
// migrations/0003_change_notices.sql); this feed's thread LISTENs on its own
// connection and applies every announcement, this instance's own included,
// to the local caches.
//
// It also proves, every `kHeartbeat`, that it still hears: it sends a
// notification to itself and vouches for the caches (cache::Freshness) up
// to the moment that heartbeat was sent. A heartbeat unanswered within
// `kSilenceLimit` means the connection is dead even if nothing said so; the
// feed reconnects, and on every (re)connect it drops everything the caches
// hold before it vouches again.
class ChangeFeed : public cache::ChangeBarrier {
 public:
  static constexpr std::chrono::milliseconds kHeartbeat{500};
  static constexpr std::chrono::milliseconds kSilenceLimit{2000};
  // How long a writer waits for its own change to be applied here before
  // the caches are bypassed instead.
  static constexpr std::chrono::milliseconds kCatchUpLimit{1000};
  static constexpr const char* kApplicationName = "tessera-change-feed";

  // `local` and `local_tokens` receive the changes; `drop_everything` empties
  // every cache; `freshness` is what the caches ask before using an entry.
  ChangeFeed(std::string database_url, cache::Invalidation& local,
             cache::TokenRevocations& local_tokens, std::function<void()> drop_everything,
             cache::Freshness& freshness);
  ~ChangeFeed() override;
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // Returns once a heartbeat sent after the call has come back (every change
  // committed before the call is then applied here), or after
  // kCatchUpLimit; then, and when the feed is not vouching anyway, the
  // caches stay bypassed until such a heartbeat is heard.
  void wait_for_committed_changes() override;

  // Applies one announced payload to the local caches (exposed for tests).
  static void apply(const std::string& payload, cache::Invalidation& local,
                    cache::TokenRevocations& local_tokens);

 private:
  struct Beat {
    std::uint64_t sequence = 0;
    cache::Freshness::Clock::time_point sent_at;
  };
  void run();
  void serve(ListenConnection& connection);
  // The sequence number of a heartbeat of this feed's, if `payload` is one.
  std::optional<std::uint64_t> own_heartbeat(const std::string& payload) const;
  void wake();

  const std::string database_url_;
  cache::Invalidation& local_;
  cache::TokenRevocations& local_tokens_;
  std::function<void()> drop_everything_;
  cache::Freshness& freshness_;
  const std::string heartbeat_prefix_;  // "heartbeat:<random>:", unique to this feed
  int wake_fd_ = -1;                    // eventfd: a beat is wanted, or stop
  std::atomic<bool> beat_wanted_{false};
  std::mutex mutex_;
  std::condition_variable confirmed_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace tessera::store::postgres
