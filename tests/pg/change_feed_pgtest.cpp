// Change notices (migrations/0003_change_notices.sql) and the change feed
// that applies them (store/postgres/change_feed): every write a cache holds
// announces itself in its own transaction, nothing else does, and the feed
// applies announcements, vouches for the caches while it hears itself, and
// lets a writer wait until its change is applied here.
#include <gtest/gtest.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres/change_feed.hpp"
#include "store/postgres/client_credentials_repository.hpp"
#include "store/postgres/listen_connection.hpp"
#include "store_fixture.hpp"

namespace tessera::test {
namespace {

using std::chrono::milliseconds;

// Everything announced, read through the feed's own kind of connection.
// Notifications arrive in commit order, so `since_last()` sends a marker of
// its own and returns what came before it: no waiting on a clock.
class Announcements {
 public:
  explicit Announcements(const std::string& url)
      : connection_(url, "tessera_changes", "change-notices-test", milliseconds(3000)) {}

  std::vector<std::string> since_last() {
    const std::string marker = "marker:" + std::to_string(++markers_);
    connection_.notify(marker);
    std::vector<std::string> seen;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      for (auto& payload : connection_.receive()) {
        if (payload == marker) return seen;
        seen.push_back(std::move(payload));
      }
      pollfd fd{connection_.socket(), POLLIN, 0};
      ::poll(&fd, 1, 100);
    }
    ADD_FAILURE() << "the marker never came back";
    return seen;
  }

 private:
  store::postgres::ListenConnection connection_;
  int markers_ = 0;
};

class ChangeNoticesPgTest : public StoreFixture {
 protected:
  Announcements announcements{db_.url()};
};

TEST_F(ChangeNoticesPgTest, EveryCachedWriteAnnouncesItselfInItsTransaction) {
  const auto tenant = make_tenant("acme", {"auth.acme.test"});
  const std::string t = std::to_string(tenant.id.value);
  auto seen = announcements.since_last();
  EXPECT_NE(std::find(seen.begin(), seen.end(), "tenants"), seen.end());
  EXPECT_NE(std::find(seen.begin(), seen.end(), "tenant:" + t), seen.end());  // domains, keys

  make_api(tenant.id, "https://api.acme.test");
  EXPECT_EQ(announcements.since_last(), std::vector<std::string>{"tenant:" + t});

  const auto client = make_client(tenant.id);
  const std::string c = "client:" + t + ":" + client.client_id.value;
  EXPECT_EQ(announcements.since_last(), std::vector<std::string>{c});
  store::ClientPatch patch;
  patch.status = domain::Status::disabled;
  clients_.update(tenant.id, client.client_id, patch, actor_);
  EXPECT_EQ(announcements.since_last(), std::vector<std::string>{c});

  // Recording a secret's use changes nothing a cache holds.
  db_.execute("UPDATE client_secrets SET last_used_at = now()");
  EXPECT_TRUE(announcements.since_last().empty());
  db_.execute("UPDATE client_secrets SET revoked_at = now()");
  EXPECT_EQ(announcements.since_last(), std::vector<std::string>{c});

  // A rolled-back change is never announced.
  db_.execute(
      "DO $$ BEGIN UPDATE tenants SET name = 'Renamed'; RAISE EXCEPTION 'no'; "
      "EXCEPTION WHEN raise_exception THEN NULL; END $$");
  EXPECT_TRUE(announcements.since_last().empty());
}

TEST_F(ChangeNoticesPgTest, RevocationsAnnounceEachTokenOrTheWholeTenant) {
  const auto tenant = make_tenant("acme");
  const std::string t = std::to_string(tenant.id.value);
  db_.execute(
      "INSERT INTO tokens (tenant_id, id, client_id, api_id, scope, format, issued_at, "
      "expires_at) SELECT " +
      t +
      ", ('00000000-0000-7000-8000-' || lpad(n::text, 12, "
      "'0'))::uuid, 'svc', 1, '', 'opaque', now(), now() + interval '1 hour' "
      "FROM generate_series(1, 150) AS n");
  announcements.since_last();

  db_.execute(
      "UPDATE tokens SET revoked_at = now() WHERE id = "
      "'00000000-0000-7000-8000-000000000007'");
  EXPECT_EQ(announcements.since_last(),
            std::vector<std::string>{"token:" + t + ":00000000-0000-7000-8000-000000000007"});

  // Issuance (inserts) announces nothing.
  db_.execute(
      "INSERT INTO tokens (tenant_id, id, client_id, api_id, scope, format, issued_at, "
      "expires_at) VALUES (" +
      t +
      ", '00000000-0000-7000-8000-000000000999', 'svc', 1, "
      "'', 'opaque', now(), now() + interval '1 hour')");
  EXPECT_TRUE(announcements.since_last().empty());

  // A bulk revocation announces the tenant once, not 150 ids.
  db_.execute("UPDATE tokens SET revoked_at = now() WHERE client_id = 'svc'");
  EXPECT_EQ(announcements.since_last(), std::vector<std::string>{"tokens:" + t});
}

// Records what the feed applies.
class Recorder : public cache::Invalidation, public cache::TokenRevocations {
 public:
  void tenant_changed(domain::TenantId tenant) override {
    add("tenant:" + std::to_string(tenant.value));
  }
  void client_changed(domain::TenantId tenant, const std::string& client_id) override {
    add("client:" + std::to_string(tenant.value) + ":" + client_id);
  }
  void tenants_added() override { add("tenants"); }
  void token_revoked(domain::TenantId tenant, const crypto::Uuid& id) override {
    add("token:" + std::to_string(tenant.value) + ":" + crypto::uuid_text(id));
  }
  void tokens_revoked(domain::TenantId tenant) override {
    add("tokens:" + std::to_string(tenant.value));
  }
  void revocation_epoch_changed() override { add("revocation_epoch"); }
  void cleared() { add("cleared"); }

  bool has(const std::string& entry) {
    std::lock_guard lock(mutex_);
    return std::find(entries_.begin(), entries_.end(), entry) != entries_.end();
  }
  int count(const std::string& entry) {
    std::lock_guard lock(mutex_);
    return static_cast<int>(std::count(entries_.begin(), entries_.end(), entry));
  }
  // Waits (at most `limit`) until `entry` has been applied `n` times.
  bool wait_for(const std::string& entry, int n, milliseconds limit) {
    std::unique_lock lock(mutex_);
    return added_.wait_for(
        lock, limit, [&] { return std::count(entries_.begin(), entries_.end(), entry) >= n; });
  }

 private:
  void add(std::string entry) {
    {
      std::lock_guard lock(mutex_);
      entries_.push_back(std::move(entry));
    }
    added_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable added_;
  std::vector<std::string> entries_;
};

template <typename Condition>
bool within(milliseconds limit, Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

class ChangeFeedPgTest : public StoreFixture {
 protected:
  Recorder recorder;
  cache::Freshness freshness{std::chrono::seconds(60), store::postgres::ChangeFeed::kSilenceLimit};
  store::postgres::ChangeFeed feed{db_.url(), recorder, recorder, [this] { recorder.cleared(); },
                                   freshness};
};

TEST_F(ChangeFeedPgTest, AWriterThatWaitsFindsItsChangeApplied) {
  ASSERT_TRUE(within(milliseconds(3000), [&] { return freshness.trusted(freshness.now()); }));
  EXPECT_EQ(recorder.count("cleared"), 1);  // a connect starts clean

  const auto tenant = make_tenant("acme");
  const auto client = make_client(tenant.id);
  store::ClientPatch patch;
  patch.name = "renamed";
  clients_.update(tenant.id, client.client_id, patch, actor_);
  // No sleep: the barrier returns only once the change is applied.
  feed.wait_for_committed_changes();
  EXPECT_TRUE(
      recorder.has("client:" + std::to_string(tenant.id.value) + ":" + client.client_id.value));
  EXPECT_TRUE(recorder.has("tenants"));
  EXPECT_TRUE(freshness.trusted(freshness.now()));
}

TEST_F(ChangeFeedPgTest, ALostConnectionIsDistrustedThenResynchronised) {
  ASSERT_TRUE(within(milliseconds(3000), [&] { return freshness.trusted(freshness.now()); }));
  const auto terminated = db_.query_value(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '" +
      std::string(store::postgres::ChangeFeed::kApplicationName) +
      "' AND datname = current_database()");  // other suites' servers share the cluster
  ASSERT_EQ(terminated, "1");
  // Distrusted once the loss is seen, then trusted again after a reconnect
  // that dropped everything.
  EXPECT_TRUE(within(milliseconds(3000), [&] { return !freshness.trusted(freshness.now()); }));
  EXPECT_TRUE(within(milliseconds(3000), [&] { return recorder.count("cleared") == 2; }));
  EXPECT_TRUE(within(milliseconds(3000), [&] { return freshness.trusted(freshness.now()); }));
}

// SPEC §5: within one second on every other instance while connected. How
// long from a commit on one connection until another instance's feed has
// applied it, over 500 changes.
TEST_F(ChangeFeedPgTest, NoticesReachAnotherInstanceWellWithinASecond) {
  ASSERT_TRUE(within(milliseconds(3000), [&] { return freshness.trusted(freshness.now()); }));
  const auto tenant = make_tenant("acme");
  const auto client = make_client(tenant.id);
  const std::string applied =
      "client:" + std::to_string(tenant.id.value) + ":" + client.client_id.value;
  const int before = recorder.count(applied);
  pqxx::connection writer(db_.url());
  std::vector<double> delays;
  for (int i = 1; i <= 500; ++i) {
    const auto started = std::chrono::steady_clock::now();
    pqxx::nontransaction tx(writer);
    tx.exec("UPDATE clients SET name = 'n" + std::to_string(i) + "' WHERE client_id = '" +
            client.client_id.value + "'");
    ASSERT_TRUE(recorder.wait_for(applied, before + i, milliseconds(1000))) << "change " << i;
    delays.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
  }
  std::sort(delays.begin(), delays.end());
  const double p50 = delays[delays.size() / 2];
  const double p99 = delays[delays.size() * 99 / 100];
  std::cout << "[ figures ] commit to applied on another instance: p50 " << p50 << " ms, p99 "
            << p99 << " ms, max " << delays.back() << " ms (500 changes)\n";
  RecordProperty("notice_p50_ms", std::to_string(p50));
  RecordProperty("notice_p99_ms", std::to_string(p99));
  EXPECT_LT(p99, 1000.0);
}

}  // namespace
}  // namespace tessera::test
