// Client assertions (private_key_jwt, RFC 7523 §3) and DPoP proofs (RFC
// 9449 §11.1) are accepted once across all instances: the token record's
// statement stores the assertion's jti in client_assertion_jtis and the
// proof's in dpop_proof_jtis, whose primary keys refuse them the second
// time. A replay costs only its own request (the batch is sent again in
// halves) and answers "replayed", not "failed"; expired jtis are purged.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "crypto/uuid7.hpp"
#include "store/postgres/partition_keeper.hpp"
#include "store/postgres/pool.hpp"
#include "store/postgres/token_batcher.hpp"
#include "store/postgres/token_status_repository.hpp"
#include "support/test_database.hpp"

namespace tessera::test {
namespace {

using namespace std::chrono_literals;
using store::RecordResult;
using store::TokenRecord;
using store::postgres::TokenBatcher;

TokenRecord record_with(const std::string& jti) {
  const auto now = std::chrono::system_clock::now();
  TokenRecord record;
  record.tenant_id = domain::TenantId{1};
  record.id = crypto::uuid7(now);
  record.client_id = "key-only-client-01";
  record.api_id = domain::ApiId{1};
  record.scope = "read";
  record.format = domain::TokenFormat::opaque;
  record.token_hash = std::string(32, 'h');
  record.issued_at = now;
  record.expires_at = now + 1h;
  if (!jti.empty()) {
    record.assertion_jti = jti;
    record.assertion_expires_at = now + 90s;
  }
  return record;
}

TokenRecord record_with_proof(const std::string& proof_jti, const std::string& assertion_jti = "") {
  auto record = record_with(assertion_jti);
  record.dpop_jkt = std::string(43, 'k');
  record.dpop_proof_jti = proof_jti;
  record.dpop_proof_expires_at = record.issued_at + 60s;
  return record;
}

// Records everything in one batch (the batcher held, then released) and
// returns each record's result, in order.
std::vector<RecordResult> record_together(TokenBatcher& batcher, std::vector<TokenRecord> records) {
  std::vector<std::promise<RecordResult>> done(records.size());
  batcher.hold();
  for (std::size_t i = 0; i < records.size(); ++i) {
    batcher.record(std::move(records[i]),
                   [&done, i](RecordResult result) { done[i].set_value(result); });
  }
  batcher.release();
  std::vector<RecordResult> results;
  for (auto& promise : done) {
    auto future = promise.get_future();
    EXPECT_EQ(future.wait_for(10s), std::future_status::ready);
    results.push_back(future.get());
  }
  return results;
}

TEST(ClientAssertionJtisPgTest, AJtiIsAcceptedOnceAndItsReplayFailsAloneInItsBatch) {
  TestDatabase db;
  TokenBatcher batcher(db.url(), {});
  EXPECT_EQ(record_together(batcher, {record_with("first-use")}),
            std::vector<RecordResult>{RecordResult::committed});

  // Later, in a batch with others: the replay alone is refused, as replayed;
  // the records without an assertion and with fresh jtis commit.
  const auto results =
      record_together(batcher, {record_with(""), record_with("fresh-1"), record_with("first-use"),
                                record_with("fresh-2"), record_with("")});
  EXPECT_EQ(results, (std::vector<RecordResult>{RecordResult::committed, RecordResult::committed,
                                                RecordResult::replayed_assertion,
                                                RecordResult::committed, RecordResult::committed}));
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "5");
  EXPECT_EQ(db.query_value("SELECT string_agg(jti, ',' ORDER BY jti) FROM client_assertion_jtis"),
            "first-use,fresh-1,fresh-2");
}

TEST(ClientAssertionJtisPgTest, TwoInstancesOfferingTheSameJtiIssueOneToken) {
  TestDatabase db;
  TokenBatcher one(db.url(), {});
  TokenBatcher other(db.url(), {});
  std::promise<RecordResult> first, second;
  one.record(record_with("raced"), [&](RecordResult r) { first.set_value(r); });
  other.record(record_with("raced"), [&](RecordResult r) { second.set_value(r); });
  const std::vector<RecordResult> results{first.get_future().get(), second.get_future().get()};
  EXPECT_EQ(std::count(results.begin(), results.end(), RecordResult::committed), 1);
  EXPECT_EQ(std::count(results.begin(), results.end(), RecordResult::replayed_assertion), 1);
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "1");
}

TEST(ClientAssertionJtisPgTest, TheSameJtiOfAnotherClientIsAnotherAssertion) {
  TestDatabase db;
  TokenBatcher batcher(db.url(), {});
  auto theirs = record_with("shared-jti");
  theirs.client_id = "another-client-0001";
  EXPECT_EQ(record_together(batcher, {record_with("shared-jti"), std::move(theirs)}),
            (std::vector<RecordResult>{RecordResult::committed, RecordResult::committed}));
}

TEST(ClientAssertionJtisPgTest, JtisArePurgedFiveMinutesAfterTheyExpire) {
  TestDatabase db;
  for (const char* table : {"client_assertion_jtis", "dpop_proof_jtis"}) {
    db.execute(std::string("INSERT INTO ") + table +
               " (tenant_id, client_id, jti, expires_at) VALUES "
               "(1, 'key-only-client-01', 'old', now() - interval '6 minutes'), "
               "(1, 'key-only-client-01', 'just-expired', now() - interval '1 minute'), "
               "(1, 'key-only-client-01', 'live', now() + interval '2 minutes')");
  }
  store::postgres::Pool pool(db.url(), 1);
  store::postgres::PartitionKeeper keeper(pool, std::chrono::hours(24 * 7));
  EXPECT_EQ(keeper.purge_used_jtis(), 2);
  // One that expired a minute ago stays: a server whose clock runs behind
  // the database's may still take its assertion or proof for valid.
  for (const char* table : {"client_assertion_jtis", "dpop_proof_jtis"}) {
    EXPECT_EQ(db.query_value(std::string("SELECT string_agg(jti, ',' ORDER BY jti) FROM ") + table),
              "just-expired,live")
        << table;
  }
}

TEST(DpopProofJtisPgTest, AProofsJtiIsAcceptedOnceAndItsReplayFailsAloneInItsBatch) {
  TestDatabase db;
  TokenBatcher batcher(db.url(), {});
  EXPECT_EQ(record_together(batcher, {record_with_proof("proof-1")}),
            std::vector<RecordResult>{RecordResult::committed});
  const auto results =
      record_together(batcher, {record_with(""), record_with_proof("proof-2"),
                                record_with_proof("proof-1"), record_with("assertion-1")});
  EXPECT_EQ(results, (std::vector<RecordResult>{RecordResult::committed, RecordResult::committed,
                                                RecordResult::replayed_dpop_proof,
                                                RecordResult::committed}));
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "4");
  EXPECT_EQ(db.query_value("SELECT string_agg(jti, ',' ORDER BY jti) FROM dpop_proof_jtis"),
            "proof-1,proof-2");
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens WHERE dpop_jkt = repeat('k', 43)"), "2");
}

// A proof and an assertion are different JWTs: the same jti in both is no
// replay of either (a client may well use one uuid generator for both).
TEST(DpopProofJtisPgTest, AnAssertionAndAProofWithTheSameJtiAreBothAccepted) {
  TestDatabase db;
  TokenBatcher batcher(db.url(), {});
  EXPECT_EQ(record_together(batcher, {record_with_proof("same", "same")}),
            std::vector<RecordResult>{RecordResult::committed});
  EXPECT_EQ(record_together(batcher, {record_with_proof("same", "other")}),
            std::vector<RecordResult>{RecordResult::replayed_dpop_proof});
  EXPECT_EQ(record_together(batcher, {record_with_proof("other", "same")}),
            std::vector<RecordResult>{RecordResult::replayed_assertion});
}

TEST(DpopProofJtisPgTest, TwoInstancesOfferingTheSameProofIssueOneToken) {
  TestDatabase db;
  TokenBatcher one(db.url(), {});
  TokenBatcher other(db.url(), {});
  std::promise<RecordResult> first, second;
  one.record(record_with_proof("raced"), [&](RecordResult r) { first.set_value(r); });
  other.record(record_with_proof("raced"), [&](RecordResult r) { second.set_value(r); });
  const std::vector<RecordResult> results{first.get_future().get(), second.get_future().get()};
  EXPECT_EQ(std::count(results.begin(), results.end(), RecordResult::committed), 1);
  EXPECT_EQ(std::count(results.begin(), results.end(), RecordResult::replayed_dpop_proof), 1);
  EXPECT_EQ(db.query_value("SELECT count(*) FROM tokens"), "1");
}

// Introspection reads the thumbprint back (cnf.jkt, token_type DPoP).
TEST(DpopProofJtisPgTest, TheTokensStatusCarriesItsThumbprint) {
  TestDatabase db;
  TokenBatcher batcher(db.url(), {});
  const auto bound = record_with_proof("proof-1");
  const auto bearer = record_with("");
  ASSERT_EQ(record_together(batcher, {bound, bearer}),
            (std::vector<RecordResult>{RecordResult::committed, RecordResult::committed}));
  store::postgres::Pool pool(db.url(), 1);
  store::postgres::TokenStatusRepository statuses(pool);
  EXPECT_EQ(statuses.find_status(bound.tenant_id, bound.id)->dpop_jkt, std::string(43, 'k'));
  EXPECT_EQ(statuses.find_status(bearer.tenant_id, bearer.id)->dpop_jkt, "");
}

}  // namespace
}  // namespace tessera::test
