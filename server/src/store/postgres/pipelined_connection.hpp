#pragma once

#include <string>
#include <vector>

struct pg_conn;

namespace tessera::store::postgres {

// A libpq connection in pipeline mode (PostgreSQL 14+ protocol feature that
// libpqxx 6.4 does not expose): statements are sent without waiting for the
// previous one's answer, each followed by a Sync, so each is its own
// autocommitted transaction and the server starts the next one the moment
// the previous commit is flushed, with no round trip in between.
class PipelinedConnection {
 public:
  // Connects and prepares `statement` as `name`; throws store::Unavailable.
  PipelinedConnection(const std::string& url, const std::string& name, const std::string& statement,
                      int parameters);
  ~PipelinedConnection();
  PipelinedConnection(const PipelinedConnection&) = delete;
  PipelinedConnection& operator=(const PipelinedConnection&) = delete;

  int socket() const;

  // Queues one execution of the prepared statement and its Sync; throws
  // std::runtime_error when the connection is broken.
  void send(const std::vector<std::string>& parameters);

  // Reads what has arrived. For each statement whose transaction has ended
  // since the last call, in the order sent: whether it committed. Throws
  // std::runtime_error when the connection is broken (every statement in
  // flight is then in doubt and counts as failed).
  std::vector<bool> read_completed();

  int in_flight() const { return in_flight_; }

 private:
  pg_conn* connection_ = nullptr;
  const std::string name_;
  int in_flight_ = 0;
  bool current_failed_ = false;
};

}  // namespace tessera::store::postgres
