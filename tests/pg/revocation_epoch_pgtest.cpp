// The revocation epoch's store (migrations/0005_revocation_epoch.sql,
// store/postgres/revocation_epoch_repository): set and read back, lowering
// refused unless forced, whole seconds rounded up, every change audited and announced on the change
// channel so every instance drops the epoch it holds.
#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <string>
#include <vector>

#include "domain/time.hpp"
#include "store/postgres/listen_connection.hpp"
#include "store/postgres/revocation_epoch_repository.hpp"
#include "store_fixture.hpp"

namespace tessera::test {
namespace {

using std::chrono::milliseconds;
using Result = store::postgres::RevocationEpochRepository::SetResult;

class RevocationEpochPgTest : public StoreFixture {
 protected:
  // What arrived on the change channel before a marker of our own.
  std::vector<std::string> announced() {
    listener_.notify("marker");
    std::vector<std::string> seen;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      for (auto& payload : listener_.receive()) {
        if (payload == "marker") return seen;
        seen.push_back(std::move(payload));
      }
      pollfd fd{listener_.socket(), POLLIN, 0};
      ::poll(&fd, 1, 100);
    }
    ADD_FAILURE() << "the marker never came back";
    return seen;
  }

  store::postgres::ListenConnection listener_{db_.url(), "tessera_changes", "epoch-test",
                                              milliseconds(3000)};
  store::postgres::RevocationEpochRepository epochs_{pool_};
};

TEST_F(RevocationEpochPgTest, SetReadBackAnnouncedAndAudited) {
  EXPECT_EQ(epochs_.revocation_epoch(), std::nullopt);
  announced();

  // Stored rounded up to a whole second (JWT records keep whole seconds).
  domain::Timestamp stored;
  EXPECT_EQ(epochs_.set_revocation_epoch(*domain::parse_rfc3339("2026-12-01T10:00:00.123456Z"),
                                         false, &stored),
            Result::set);
  const auto first = *domain::parse_rfc3339("2026-12-01T10:00:01Z");
  EXPECT_EQ(stored, first);
  EXPECT_EQ(epochs_.revocation_epoch(), first);
  EXPECT_EQ(announced(), std::vector<std::string>{"revocation_epoch"});
  EXPECT_EQ(audit_count("revocation_epoch.set"), "1");
  EXPECT_EQ(db_.query_value("SELECT actor_key_id IS NULL AND tenant_id = 0 FROM audit_events "
                            "WHERE action = 'revocation_epoch.set'"),
            "t");

  const auto later = first + std::chrono::hours(1);
  EXPECT_EQ(epochs_.set_revocation_epoch(later, false), Result::set);
  EXPECT_EQ(epochs_.revocation_epoch(), later);
  EXPECT_EQ(db_.query_value("SELECT count(*) FROM revocation_epoch"), "1");
  EXPECT_EQ(announced(), std::vector<std::string>{"revocation_epoch"});

  // The same epoch again changes nothing and says nothing.
  EXPECT_EQ(epochs_.set_revocation_epoch(later, false), Result::unchanged);
  EXPECT_TRUE(announced().empty());
  EXPECT_EQ(audit_count("revocation_epoch.set"), "2");
}

TEST_F(RevocationEpochPgTest, LoweringIsRefusedUnlessForced) {
  const auto epoch = *domain::parse_rfc3339("2026-12-01T10:00:00Z");
  ASSERT_EQ(epochs_.set_revocation_epoch(epoch, false), Result::set);
  announced();

  const auto earlier = epoch - std::chrono::seconds(1);
  EXPECT_EQ(epochs_.set_revocation_epoch(earlier, false), Result::lower_refused);
  EXPECT_EQ(epochs_.revocation_epoch(), epoch);
  EXPECT_TRUE(announced().empty());

  EXPECT_EQ(epochs_.set_revocation_epoch(earlier, true), Result::set);
  EXPECT_EQ(epochs_.revocation_epoch(), earlier);
  EXPECT_EQ(announced(), std::vector<std::string>{"revocation_epoch"});
}

TEST_F(RevocationEpochPgTest, AnOperatorsDeleteIsAnnouncedToo) {
  ASSERT_EQ(epochs_.set_revocation_epoch(*domain::parse_rfc3339("2026-12-01T10:00:00Z"), false),
            Result::set);
  announced();
  db_.execute("DELETE FROM revocation_epoch");
  EXPECT_EQ(announced(), std::vector<std::string>{"revocation_epoch"});
  EXPECT_EQ(epochs_.revocation_epoch(), std::nullopt);
}

}  // namespace
}  // namespace tessera::test
