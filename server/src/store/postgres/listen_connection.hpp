#pragma once

#include <chrono>
#include <string>
#include <vector>

struct pg_conn;

namespace tessera::store::postgres {

// A libpq connection that LISTENs on one channel and never makes its thread
// wait on the network: statements are sent without waiting for their
// answers, and what arrives is read when the socket says so. The change
// feed's thread must notice a connection that went silent (no FIN, no RST)
// on its own clock; a blocking call there could hang for as long as TCP
// retransmits (minutes).
class ListenConnection {
 public:
  // Connects (at most 3 s), names itself `application_name` (so operators
  // and tests can find it in pg_stat_activity) and LISTENs on `channel`
  // within `limit`; throws store::Unavailable.
  ListenConnection(const std::string& url, const std::string& channel,
                   const std::string& application_name, std::chrono::milliseconds limit);
  ~ListenConnection();
  ListenConnection(const ListenConnection&) = delete;
  ListenConnection& operator=(const ListenConnection&) = delete;

  int socket() const;
  // Queues `SELECT pg_notify(<channel>, payload)` without waiting for it;
  // throws std::runtime_error when the connection is broken. One statement
  // at a time: only once the previous one was answered (`awaiting()`).
  void notify(const std::string& payload);
  // Whether a statement sent still waits for its answer.
  bool awaiting() const { return awaiting_; }
  // Whether queued bytes still wait for the socket to take them.
  bool wants_to_write() const;
  // Sends what is queued and reads what has arrived, without waiting: the
  // payloads of the notifications received, in order. Throws
  // std::runtime_error when the connection is broken or a statement failed.
  std::vector<std::string> receive();

 private:
  void flush();
  pg_conn* connection_ = nullptr;
  std::string channel_;
  bool unflushed_ = false;
  bool awaiting_ = false;
};

}  // namespace tessera::store::postgres
