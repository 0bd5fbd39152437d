// Which tokens the admin API counts as active (SPEC §4): judged at the time
// the filter names, so expiry is tested by naming a later time, not by
// waiting for it.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>

#include "domain/time.hpp"
#include "store/postgres/lifecycle_repository.hpp"
#include "store_fixture.hpp"

namespace tessera::test {
namespace {

using std::chrono::seconds;

class TokenListingPgTest : public StoreFixture {
 protected:
  void SetUp() override {
    tenant_ = make_tenant("listing").id;
    api_ = make_api(tenant_, "https://api.listing.test").id;
    client_ = make_client(tenant_).client_id.value;
  }

  // A token issued at `issued` that lives `ttl`.
  std::string insert_token(domain::Timestamp issued, seconds ttl, bool revoked = false) {
    const auto id = db_.query_value("SELECT gen_random_uuid()::text");
    db_.execute(
        "INSERT INTO tokens (tenant_id, id, client_id, api_id, scope, format, issued_at, "
        "expires_at, revoked_at) VALUES (" +
        std::to_string(tenant_.value) + ", '" + id + "', '" + client_ + "', " +
        std::to_string(api_.value) + ", 'read', 'jwt', '" + domain::to_rfc3339(issued) + "', '" +
        domain::to_rfc3339(issued + ttl) + "', " + (revoked ? "now()" : "NULL") + ")");
    return id;
  }

  std::set<std::string> listed(std::optional<bool> active, domain::Timestamp at) {
    store::TokenFilter filter;
    filter.active = active;
    filter.at = at;
    std::set<std::string> ids;
    for (const auto& token : lifecycle_.list_tokens(tenant_, filter, std::nullopt, 100).items) {
      ids.insert(token.id);
    }
    return ids;
  }

  store::postgres::LifecycleRepository lifecycle_{pool_};
  domain::TenantId tenant_{};
  domain::ApiId api_{};
  std::string client_;
};

TEST_F(TokenListingPgTest, ATokenIsActiveUntilItsExpiryAtTheTimeTheFilterNames) {
  const domain::Timestamp start{seconds(1'800'000'000)};
  const auto brief = insert_token(start, seconds(60));
  const auto lasting = insert_token(start, seconds(3600));
  const auto revoked = insert_token(start, seconds(3600), true);

  EXPECT_EQ(listed(true, start + seconds(59)), (std::set<std::string>{brief, lasting}));
  EXPECT_EQ(listed(false, start + seconds(59)), (std::set<std::string>{revoked}));
  // Expiry is exclusive: at expires_at the token is no longer active.
  EXPECT_EQ(listed(true, start + seconds(60)), (std::set<std::string>{lasting}));
  EXPECT_EQ(listed(false, start + seconds(60)), (std::set<std::string>{brief, revoked}));
  EXPECT_EQ(listed(std::nullopt, start + seconds(7200)),
            (std::set<std::string>{brief, lasting, revoked}));
}

TEST_F(TokenListingPgTest, BulkRevocationRevokesOnlyWhatIsActiveAtTheFiltersTime) {
  const domain::Timestamp start{seconds(1'800'000'000)};
  const auto brief = insert_token(start, seconds(60));
  const auto lasting = insert_token(start, seconds(3600));
  store::TokenFilter filter;
  filter.at = start + seconds(120);
  EXPECT_EQ(lifecycle_.revoke_tokens(tenant_, filter, actor_), 1);
  const auto revoked_at = [&](const std::string& id) {
    return db_.query_value("SELECT revoked_at IS NOT NULL FROM tokens WHERE id = '" + id + "'");
  };
  EXPECT_EQ(revoked_at(lasting), "t");
  EXPECT_EQ(revoked_at(brief), "f") << "an expired token is left as it is";
}

}  // namespace
}  // namespace tessera::test
