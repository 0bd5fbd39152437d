#include "store/postgres/pipelined_connection.hpp"

#include <libpq-fe.h>

#include <stdexcept>
#include <utility>

#include "log/log.hpp"
#include "store/errors.hpp"
#include "store/postgres/libpq_error.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {
namespace {

// Server NOTICEs go to the logger (JSON logs stay one object per line).
void notice_to_log(void*, const char* message) {
  std::string text(message);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  log::debug("postgres notice", {{"text", text}});
}

}  // namespace

StatementOutcome outcome_of_error(std::string_view sqlstate) {
  const auto error_class = sqlstate.substr(0, 2);
  if (sqlstate.size() == 5 && (error_class == "22" || error_class == "23")) {
    return StatementOutcome::rejected_for_data;
  }
  return StatementOutcome::failed;
}

PipelinedConnection::PipelinedConnection(const std::string& url, const std::string& name,
                                         const std::string& statement, int parameters,
                                         std::chrono::milliseconds lock_timeout)
    : name_(name) {
  connection_ = PQconnectdb(with_connect_timeout(url, 3).c_str());
  if (connection_ == nullptr || PQstatus(connection_) != CONNECTION_OK) {
    const auto error = connection_ ? error_of(connection_) : std::string("out of memory");
    if (connection_) PQfinish(connection_);
    throw store::Unavailable("cannot connect to PostgreSQL: " + error);
  }
  PQsetNoticeProcessor(connection_, notice_to_log, nullptr);
  const std::string set_timeout =
      "SET lock_timeout = " + std::to_string(lock_timeout.count());  // milliseconds
  PGresult* set = PQexec(connection_, set_timeout.c_str());
  const bool timeout_set = PQresultStatus(set) == PGRES_COMMAND_OK;
  PQclear(set);
  if (!timeout_set) {
    const auto error = error_of(connection_);
    PQfinish(connection_);
    throw store::Unavailable("cannot set lock_timeout: " + error);
  }
  PGresult* prepared = PQprepare(connection_, name.c_str(), statement.c_str(), parameters, nullptr);
  const bool ok = PQresultStatus(prepared) == PGRES_COMMAND_OK;
  PQclear(prepared);
  if (!ok || PQenterPipelineMode(connection_) != 1) {
    const auto error = error_of(connection_);
    PQfinish(connection_);
    throw store::Unavailable("cannot prepare the token insert: " + error);
  }
}

PipelinedConnection::~PipelinedConnection() {
  PQfinish(connection_);
}

int PipelinedConnection::socket() const {
  return PQsocket(connection_);
}

void PipelinedConnection::send(const std::vector<std::string>& parameters) {
  std::vector<const char*> values;
  values.reserve(parameters.size());
  for (const auto& p : parameters) values.push_back(p.c_str());
  // Blocking mode: PQpipelineSync flushes everything. The answers are a few
  // bytes per statement, so the server never blocks writing them while we
  // write (the deadlock libpq warns about needs large results).
  if (PQsendQueryPrepared(connection_, name_.c_str(), static_cast<int>(values.size()),
                          values.data(), nullptr, nullptr, 0) != 1 ||
      PQpipelineSync(connection_) != 1) {
    throw std::runtime_error(error_of(connection_));
  }
  ++in_flight_;
}

std::vector<CompletedStatement> PipelinedConnection::read_completed() {
  std::vector<CompletedStatement> completed;
  if (PQconsumeInput(connection_) != 1) throw std::runtime_error(error_of(connection_));
  // Per statement the results are: its own (COMMAND_OK, or an error), a
  // null that ends them, then PIPELINE_SYNC once its transaction ended; the
  // commit happens at the Sync, so only PIPELINE_SYNC makes a batch durable.
  bool ended_one = false;  // two nulls in a row: nothing more has arrived
  while (in_flight_ > 0 && PQisBusy(connection_) == 0) {
    PGresult* result = PQgetResult(connection_);
    if (result == nullptr) {
      if (ended_one) break;
      ended_one = true;
      continue;
    }
    ended_one = false;
    switch (PQresultStatus(result)) {
      case PGRES_COMMAND_OK:
        break;
      case PGRES_PIPELINE_SYNC:
        completed.push_back(std::move(current_));
        current_ = CompletedStatement();
        --in_flight_;
        break;
      default:
        // The statement failed (or was skipped after a failure, which
        // carries no SQLSTATE): the first error says why.
        if (current_.outcome == StatementOutcome::committed) {
          const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
          const char* message = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
          current_.outcome = outcome_of_error(sqlstate ? sqlstate : "");
          current_.error =
              std::string(sqlstate ? sqlstate : "?????") + ": " + (message ? message : "unknown");
        }
        break;
    }
    PQclear(result);
  }
  if (PQstatus(connection_) != CONNECTION_OK) throw std::runtime_error(error_of(connection_));
  return completed;
}

}  // namespace tessera::store::postgres
