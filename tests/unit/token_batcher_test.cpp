// The pure parts of the token batcher: which records it refuses before they
// could share a batch, what their parameter arrays look like, and which
// failures of a batch are about its rows (SPEC §6: one request's input can
// never make another request fail).
#include "store/postgres/token_batcher.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "crypto/uuid7.hpp"
#include "domain/time.hpp"
#include "store/postgres/pipelined_connection.hpp"
#include "store/postgres/token_rows.hpp"

namespace tessera::store::postgres {
namespace {

TokenRecord storable_record() {
  TokenRecord record;
  record.tenant_id = domain::TenantId{7};
  record.id = *crypto::parse_uuid("0190f3a4-0000-7000-8000-000000000001");
  record.client_id = "abcdefghijklmnop";
  record.secret_id = domain::SecretId{3};
  record.api_id = domain::ApiId{5};
  record.scope = "read write";
  record.format = domain::TokenFormat::opaque;
  record.token_hash = std::string(32, '\x01');
  record.issued_at = domain::from_unix_micros(1'000'000);
  record.expires_at = domain::from_unix_micros(4'600'000'000);
  return record;
}

TEST(WhyUnstorableTest, RefusesWhatTheTokensTableCouldNotHoldAndNothingElse) {
  struct Case {
    std::string name;
    std::function<void(TokenRecord&)> change;
    bool storable;
  };
  const std::vector<Case> cases = {
      {"an issued record", [](TokenRecord&) {}, true},
      {"no scope (a grant without scopes)", [](TokenRecord& r) { r.scope = ""; }, true},
      {"one scope", [](TokenRecord& r) { r.scope = "read"; }, true},
      {"URI scopes", [](TokenRecord& r) { r.scope = "https://api.example/read *"; }, true},
      {"a JWT's record (no hash)", [](TokenRecord& r) { r.token_hash.clear(); }, true},
      {"the longest client id", [](TokenRecord& r) { r.client_id = std::string(64, 'a'); }, true},
      {"a client id of 15", [](TokenRecord& r) { r.client_id = std::string(15, 'a'); }, false},
      {"a client id of 65", [](TokenRecord& r) { r.client_id = std::string(65, 'a'); }, false},
      {"a NUL in the client id",
       [](TokenRecord& r) { r.client_id = std::string("abcdefgh\0ijklmnop", 17); }, false},
      {"invalid UTF-8 in the client id",
       [](TokenRecord& r) { r.client_id = "abcdefghijklmno\xff"; }, false},
      {"a quote in the client id", [](TokenRecord& r) { r.client_id = "abcdefghijklmno\""; },
       false},
      {"a NUL in the scope", [](TokenRecord& r) { r.scope = std::string("read\0write", 10); },
       false},
      {"invalid UTF-8 in the scope", [](TokenRecord& r) { r.scope = "read \xc3"; }, false},
      {"two spaces in the scope", [](TokenRecord& r) { r.scope = "read  write"; }, false},
      {"a leading space", [](TokenRecord& r) { r.scope = " read"; }, false},
      {"a trailing space", [](TokenRecord& r) { r.scope = "read "; }, false},
      {"a comma", [](TokenRecord& r) { r.scope = "read,write"; }, false},
      {"a scope value of 129", [](TokenRecord& r) { r.scope = std::string(129, 's'); }, false},
      {"a hash of 31 bytes", [](TokenRecord& r) { r.token_hash = std::string(31, 'h'); }, false},
      {"a hash of 33 bytes", [](TokenRecord& r) { r.token_hash = std::string(33, 'h'); }, false},
      {"a DPoP-bound token",
       [](TokenRecord& r) {
         r.dpop_jkt = std::string(42, 'k') + "_";
         r.dpop_proof_jti = "proof-1";
         r.dpop_proof_expires_at = r.issued_at;
       },
       true},
      {"a thumbprint of 42", [](TokenRecord& r) { r.dpop_jkt = std::string(42, 'k'); }, false},
      {"a thumbprint with a quote",
       [](TokenRecord& r) { r.dpop_jkt = std::string(42, 'k') + "\""; }, false},
      {"a proof jti without expiry", [](TokenRecord& r) { r.dpop_proof_jti = "proof-1"; }, false},
      {"a proof jti with a NUL",
       [](TokenRecord& r) {
         r.dpop_proof_jti = std::string("a\0b", 3);
         r.dpop_proof_expires_at = r.issued_at;
       },
       false},
      {"a proof jti of 257",
       [](TokenRecord& r) {
         r.dpop_proof_jti = std::string(257, 'j');
         r.dpop_proof_expires_at = r.issued_at;
       },
       false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto record = storable_record();
    c.change(record);
    EXPECT_EQ(!why_unstorable(record).has_value(), c.storable);
  }
}

TEST(TokenArraysTest, WritesOneElementPerRecordInEachArray) {
  auto first = storable_record();
  auto second = storable_record();
  second.id = *crypto::parse_uuid("0190f3a4-0000-7000-8000-000000000002");
  second.scope = "";
  second.format = domain::TokenFormat::jwt;
  second.token_hash.clear();
  second.dpop_jkt = std::string(43, 'k');
  second.dpop_proof_jti = "proof-1";
  second.dpop_proof_expires_at = domain::from_unix_micros(61'000'000);
  const auto a = token_arrays({&first, &second});
  EXPECT_EQ(a.tenant_ids, "{7,7}");
  EXPECT_EQ(a.ids, "{0190f3a4-0000-7000-8000-000000000001,0190f3a4-0000-7000-8000-000000000002}");
  EXPECT_EQ(a.client_ids, R"({"abcdefghijklmnop","abcdefghijklmnop"})");
  EXPECT_EQ(a.secret_ids, "{3,3}");
  EXPECT_EQ(a.api_ids, "{5,5}");
  EXPECT_EQ(a.scopes, R"({"read write",""})");
  EXPECT_EQ(a.formats, "{opaque,jwt}");
  std::string hex;
  for (int i = 0; i < 32; ++i) hex += "01";
  EXPECT_EQ(a.hashes, R"({"\\x)" + hex + R"(",NULL})");  // bytea \x…, escaped in the array
  EXPECT_EQ(a.issued_at, "{1000000,1000000}");
  EXPECT_EQ(a.expires_at, "{4600000000,4600000000}");
  EXPECT_EQ(a.dpop_jkts, "{NULL,\"" + std::string(43, 'k') + "\"}");
  EXPECT_EQ(a.proof_jtis, R"({NULL,"proof-1"})");
  EXPECT_EQ(a.proof_expiries, "{NULL,61000000}");
}

TEST(TokenArraysTest, WritesEmptyArraysForNoRecords) {
  const auto a = token_arrays({});
  EXPECT_EQ(a.ids, "{}");
  EXPECT_EQ(a.hashes, "{}");
}

TEST(OutcomeOfErrorTest, CallsOnlyDataAndIntegrityErrorsAFaultOfTheRows) {
  struct Case {
    std::string sqlstate;
    StatementOutcome outcome;
  };
  const std::vector<Case> cases = {
      {"23505", StatementOutcome::rejected_for_data},  // unique violation
      {"23514", StatementOutcome::rejected_for_data},  // check violation
      {"22P02", StatementOutcome::rejected_for_data},  // malformed array literal
      {"22021", StatementOutcome::rejected_for_data},  // invalid UTF-8
      {"22008", StatementOutcome::rejected_for_data},  // timestamp out of range
      {"57P01", StatementOutcome::failed},             // admin shutdown
      {"53100", StatementOutcome::failed},             // disk full
      {"53300", StatementOutcome::failed},             // too many connections
      {"25006", StatementOutcome::failed},             // read-only transaction
      {"40001", StatementOutcome::failed},             // serialization failure
      {"XX000", StatementOutcome::failed},             // internal error
      {"2", StatementOutcome::failed},
      {"", StatementOutcome::failed},  // no SQLSTATE (a skipped statement)
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.sqlstate);
    EXPECT_EQ(outcome_of_error(c.sqlstate), c.outcome);
  }
}

}  // namespace
}  // namespace tessera::store::postgres
