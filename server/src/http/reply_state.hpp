#pragma once

#include <pistache/http.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "http/answer_drop.hpp"
#include "http/descriptor_owners.hpp"
#include "http/listener.hpp"
#include "http/request_framer.hpp"

// What the listener's connection handler and the answers it hands out share
// (internal to http/listener.cpp and http/reply_state.cpp).
namespace tessera::http {

namespace P = Pistache;

struct Listener::Shared {
  ListenerOptions options;
  std::atomic<bool> draining{false};
  std::atomic<long> in_flight{0};
  DescriptorOwners descriptors{DescriptorOwners::default_capacity()};
  // Held by every thread while it queues an answer (ReplyState::send).
  // Pistache 0.0.5's write queue is a Vyukov MPSC list: a producer swaps
  // the head, then links the previous entry to its own. A producer paused
  // between the two hides every later entry from the reactor, so the flush
  // in onDisconnection could miss a write queued before it, and that write
  // would reach whichever connection then holds the number. The reactor's
  // own inline answers take it too: one queued behind a worker's paused
  // push would be hidden the same way. One producer at a time keeps every
  // queue linked up to the last completed push; the section is a push.
  std::mutex queue_gate;
};

// A request's bytes as Tessera reads them, per TCP connection (Pistache
// peer data). The framer is used on the connection's reactor thread only;
// `answering`, `close_after_answer` and `gone` are shared with the thread
// that answers, under `mutex`.
struct ConnectionState {
  ConnectionState(RequestFramer::Limits limits, int fd, std::uint64_t connection_serial)
      : framer(limits), descriptor(fd), serial(connection_serial) {}
  RequestFramer framer;
  std::chrono::steady_clock::time_point request_started{};
  bool timer_armed = false;
  const int descriptor;        // the socket's number while the connection lives
  const std::uint64_t serial;  // in Listener::Shared::descriptors

  std::mutex mutex;
  bool answering = false;           // a request was dispatched, its answer not sent yet
  bool close_after_answer = false;  // more bytes came meanwhile: close after that answer
  // Pistache is closing the connection (onDisconnection): its descriptor
  // number may be given to a new connection at once, and a write queued
  // from now on could reach that one. Answers check it, and queue their
  // write, while holding `mutex` (ReplyState::send).
  bool gone = false;
};

// Runs `action` on the reactor thread of `transport` after `delay`, from any
// thread.
void on_reactor_after(P::Tcp::Transport* transport, std::chrono::milliseconds delay,
                      std::function<void()> action);

// Ends a connection once its last answer is written; on the reactor thread.
void close_gracefully(P::Tcp::Transport* transport, const std::weak_ptr<P::Tcp::Peer>& peer);

// One request's answer: sent exactly once, from any thread, with the headers
// every answer carries, the request's log line, and the close that
// "Connection: close" promises.
class ReplyState {
 public:
  ReplyState(P::Http::ResponseWriter writer, P::Tcp::Transport* transport, const Request& request,
             bool keep_alive, const std::shared_ptr<ConnectionState>& connection,
             std::shared_ptr<Listener::Shared> shared);
  ~ReplyState();
  ReplyState(const ReplyState&) = delete;
  ReplyState& operator=(const ReplyState&) = delete;

  void send(Response response);

 private:
  P::Async::Promise<ssize_t> put_on_wire(const Response& response, bool close);
  void close_once_written(P::Async::Promise<ssize_t> sent) const;
  void log_line(const Response& response, std::optional<DropReason> dropped) const;

  P::Http::ResponseWriter writer_;
  P::Tcp::Transport* transport_;
  std::string method_;
  std::string path_;
  std::string request_id_;
  std::string remote_address_;  // the client's, as TESSERA_TRUSTED_PROXIES says
  std::chrono::steady_clock::time_point received_at_;
  bool keep_alive_;
  std::weak_ptr<ConnectionState> connection_;
  int descriptor_;
  std::uint64_t connection_serial_;
  std::thread::id reactor_;
  std::shared_ptr<Listener::Shared> shared_;
  std::atomic<bool> sent_{false};
};

}  // namespace tessera::http
