#include "store/postgres/listen_connection.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <stdexcept>

#include "store/errors.hpp"
#include "store/postgres/libpq_error.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {
namespace {

void ignore_notice(void*, const char*) {}

}  // namespace

ListenConnection::ListenConnection(const std::string& url, const std::string& channel,
                                   const std::string& application_name,
                                   std::chrono::milliseconds limit)
    : channel_(channel) {
  connection_ = PQconnectdb(
      with_setting(with_connect_timeout(url, 3), "application_name", application_name).c_str());
  if (connection_ == nullptr || PQstatus(connection_) != CONNECTION_OK) {
    const auto error = connection_ ? error_of(connection_) : std::string("out of memory");
    if (connection_) PQfinish(connection_);
    throw store::Unavailable("cannot connect to PostgreSQL: " + error);
  }
  PQsetNoticeProcessor(connection_, ignore_notice, nullptr);
  try {
    if (PQsetnonblocking(connection_, 1) != 0) throw std::runtime_error(error_of(connection_));
    // The channel is a constant of ours: no quoting needed beyond the
    // identifier quotes.
    if (PQsendQuery(connection_, ("LISTEN \"" + channel_ + "\"").c_str()) != 1) {
      throw std::runtime_error(error_of(connection_));
    }
    unflushed_ = true;
    awaiting_ = true;
    // Wait for the LISTEN to take effect: only changes committed after it
    // are announced to this connection.
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
      receive();
      if (!awaiting_) break;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw std::runtime_error("LISTEN not confirmed in time");
      pollfd fd{socket(), static_cast<short>(POLLIN | (wants_to_write() ? POLLOUT : 0)), 0};
      ::poll(&fd, 1, static_cast<int>(left.count()));
    }
  } catch (const std::exception& e) {
    PQfinish(connection_);
    throw store::Unavailable(std::string("cannot listen for changes: ") + e.what());
  }
}

ListenConnection::~ListenConnection() {
  PQfinish(connection_);
}

int ListenConnection::socket() const {
  return PQsocket(connection_);
}

void ListenConnection::notify(const std::string& payload) {
  const char* values[] = {channel_.c_str(), payload.c_str()};
  if (awaiting_) throw std::logic_error("a statement is still awaiting its answer");
  if (PQsendQueryParams(connection_, "SELECT pg_notify($1, $2)", 2, nullptr, values, nullptr,
                        nullptr, 0) != 1) {
    throw std::runtime_error("cannot send: " + error_of(connection_));
  }
  unflushed_ = true;
  awaiting_ = true;
  flush();
}

bool ListenConnection::wants_to_write() const {
  return unflushed_;
}

void ListenConnection::flush() {
  const int flushed = PQflush(connection_);
  if (flushed < 0) throw std::runtime_error("cannot send: " + error_of(connection_));
  unflushed_ = flushed == 1;
}

std::vector<std::string> ListenConnection::receive() {
  if (unflushed_) flush();
  if (PQconsumeInput(connection_) != 1) {
    throw std::runtime_error("connection lost: " + error_of(connection_));
  }
  // Answers to what was sent: only their failure matters.
  while (awaiting_ && PQisBusy(connection_) == 0) {
    PGresult* result = PQgetResult(connection_);
    if (result == nullptr) {
      awaiting_ = false;
      break;
    }
    const auto status = PQresultStatus(result);
    const bool failed = status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK;
    std::string error = failed ? PQresultErrorMessage(result) : "";
    PQclear(result);
    if (failed) throw std::runtime_error("statement failed: " + error);
  }
  std::vector<std::string> payloads;
  while (PGnotify* notice = PQnotifies(connection_)) {
    payloads.emplace_back(notice->extra);
    PQfreemem(notice);
  }
  if (PQstatus(connection_) != CONNECTION_OK) throw std::runtime_error("connection lost");
  return payloads;
}

}  // namespace tessera::store::postgres
