#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;

namespace tessera::store::postgres {

// How a statement's transaction ended.
enum class StatementOutcome {
  committed,
  // Refused for the values it carried (SQLSTATE class 22, data exception, or
  // 23, integrity constraint violation) while the server and the connection
  // are fine: the same statement without the offending row can commit.
  rejected_for_data,
  // Anything else (57P01 admin shutdown, 53xxx out of resources, 25006
  // read-only, …): the server may refuse whatever is sent next, so sending
  // parts of the statement again would only multiply the failures.
  failed,
};

struct CompletedStatement {
  StatementOutcome outcome = StatementOutcome::committed;
  // "SQLSTATE: primary message" of the first error, empty when committed.
  // Never the DETAIL, which can quote a row.
  std::string error;
};

// What a failed statement's SQLSTATE says about it (exposed for tests).
StatementOutcome outcome_of_error(std::string_view sqlstate);

// A libpq connection in pipeline mode (PostgreSQL 14+ protocol feature that
// libpqxx 6.4 does not expose): statements are sent without waiting for the
// previous one's answer, each followed by a Sync, so each is its own
// autocommitted transaction and the server starts the next one the moment
// the previous commit is flushed, with no round trip in between.
class PipelinedConnection {
 public:
  // Connects and prepares `statement` as `name`; throws store::Unavailable.
  // No statement on it waits longer than `lock_timeout` for a lock (the
  // prepare included: it locks the table too), so that a table lock held
  // elsewhere ends in an error, not a batcher stuck for as long as it lasts.
  PipelinedConnection(const std::string& url, const std::string& name, const std::string& statement,
                      int parameters, std::chrono::milliseconds lock_timeout);
  ~PipelinedConnection();
  PipelinedConnection(const PipelinedConnection&) = delete;
  PipelinedConnection& operator=(const PipelinedConnection&) = delete;

  int socket() const;

  // Queues one execution of the prepared statement and its Sync; throws
  // std::runtime_error when the connection is broken.
  void send(const std::vector<std::string>& parameters);

  // Reads what has arrived. For each statement whose transaction has ended
  // since the last call, in the order sent: how it ended. Throws
  // std::runtime_error when the connection is broken (every statement in
  // flight is then in doubt and counts as failed, whatever its error said).
  std::vector<CompletedStatement> read_completed();

  int in_flight() const { return in_flight_; }

 private:
  pg_conn* connection_ = nullptr;
  const std::string name_;
  int in_flight_ = 0;
  // The statement whose results are being read.
  CompletedStatement current_;
};

}  // namespace tessera::store::postgres
