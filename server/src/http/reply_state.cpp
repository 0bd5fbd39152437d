#include "http/reply_state.hpp"

#include <pistache/peer.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "log/log.hpp"
#include "metrics/probes.hpp"

namespace tessera::http {
namespace {

// A response header with any name (Pistache only writes typed headers).
class NamedHeader : public P::Http::Header::Header {
 public:
  NamedHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& stream) const override { stream << value_; }
  uint64_t hash() const override { return P::Http::Header::detail::hash(name_.c_str()); }

 private:
  std::string name_;
  std::string value_;
};

bool is_probe(const std::string& path) {
  return path == "/healthz" || path == "/readyz";
}

}  // namespace

// Runs `action` on the reactor thread of `transport` after `delay`, from any
// thread. Pistache resolves its timers on the reactor thread; the
// continuation is attached before the timer is armed, so it cannot run on
// the calling thread instead.
void on_reactor_after(P::Tcp::Transport* transport, std::chrono::milliseconds delay,
                      std::function<void()> action) {
  const int timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (timer < 0) return;
  P::Async::Deferred<uint64_t> deferred;
  P::Async::Promise<uint64_t> fired(
      [&deferred](P::Async::Deferred<uint64_t> made) { deferred = std::move(made); });
  fired.then(
      [timer, action = std::move(action)](uint64_t) {
        ::close(timer);
        action();
      },
      [timer](std::exception_ptr) { ::close(timer); });
  transport->armTimer(timer, std::max(delay, std::chrono::milliseconds(1)), std::move(deferred));
}

// How long a closing connection still reads (and discards) what its client
// sends after the last answer.
constexpr std::chrono::milliseconds kLinger{2000};

// Ends a connection once its last answer is written; on the reactor thread,
// where a live peer still owns its descriptor (Pistache removes peers on
// that thread only). FIN first, so the client reads the answer and then the
// end of the stream; the full shutdown only after a linger, since bytes the
// client is still sending would otherwise draw a reset that can destroy the
// unread answer (the "lingering close" of RFC 9112 §9.6).
void close_gracefully(P::Tcp::Transport* transport, const std::weak_ptr<P::Tcp::Peer>& peer) {
  auto live = peer.lock();
  if (!live) return;
  ::shutdown(live->fd(), SHUT_WR);
  on_reactor_after(transport, kLinger, [peer] {
    if (auto still = peer.lock()) ::shutdown(still->fd(), SHUT_RDWR);
  });
}

ReplyState::ReplyState(P::Http::ResponseWriter writer, P::Tcp::Transport* transport,
                       const Request& request, bool keep_alive,
                       const std::shared_ptr<ConnectionState>& connection,
                       std::shared_ptr<Listener::Shared> shared)
    : writer_(std::move(writer)),
      transport_(transport),
      method_(request.method),
      path_(request.path),
      request_id_(request.request_id),
      remote_address_(request.remote_address),
      received_at_(request.received_at),
      keep_alive_(keep_alive),
      connection_(connection),
      descriptor_(connection->descriptor),
      connection_serial_(connection->serial),
      reactor_(std::this_thread::get_id()),
      shared_(std::move(shared)) {
  shared_->in_flight.fetch_add(1);
}

// Pistache 0.0.5 queues a write with the descriptor's number, not the
// connection, for the reactor to drain later: if the connection closed
// meanwhile and a new one was given the number, the new one would receive
// this answer. So the check that the connection is still there and the
// queuing happen under the connection's mutex, which onDisconnection takes
// (to set `gone`) before it flushes the queue and Pistache closes the
// socket: a write is either queued before that flush, which hands it to the
// old connection's own write list (dropped with it), or not queued at all.
void ReplyState::send(Response response) {
  if (sent_.exchange(true)) return;
  auto& headers = writer_.headers();
  headers.add(std::make_shared<NamedHeader>("X-Request-Id", request_id_));
  for (auto& [name, value] : response.headers) {
    headers.add(std::make_shared<NamedHeader>(name, value));
  }
  bool close = !keep_alive_;
  std::optional<DropReason> dropped;
  std::optional<P::Async::Promise<ssize_t>> sent;
  {
    // Without its state the connection is gone: the peer held it.
    auto connection = connection_.lock();
    std::unique_lock<std::mutex> lock;
    if (connection) {
      lock = std::unique_lock(connection->mutex);
      connection->answering = false;
      close = close || connection->close_after_answer;
    }
    AnswerCircumstances answer;
    answer.connection_gone = !connection || connection->gone;
    answer.descriptor_reused = shared_->descriptors.reused(descriptor_, connection_serial_);
    answer.age = std::chrono::steady_clock::now() - received_at_;
    dropped = drop_reason(answer);
    if (!dropped) {
      std::lock_guard gate(shared_->queue_gate);
      sent.emplace(put_on_wire(response, close));
    }
  }
  // A kept-alive answer needs nothing once written: no continuation (see
  // close_once_written for why none is attached here).
  if (!sent) {
    metrics::answer_dropped(shared_->options.kind, *dropped);
  } else if (close) {
    close_once_written(std::move(*sent));
  }
  log_line(response, dropped);
  shared_->in_flight.fetch_sub(1);
}

P::Async::Promise<ssize_t> ReplyState::put_on_wire(const Response& response, bool close) {
  writer_.headers().add<P::Http::Header::Connection>(close ? P::Http::ConnectionControl::Close
                                                           : P::Http::ConnectionControl::KeepAlive);
  const auto code = static_cast<P::Http::Code>(response.status);
  if (response.content_type.empty()) return writer_.send(code, response.body);
  return writer_.send(code, response.body,
                      P::Http::Mime::MediaType::fromString(response.content_type));
}

// After "Connection: close" the server closes its side once the answer is
// written (RFC 9112 §9.6). On the reactor thread only: elsewhere the
// descriptor could already belong to another connection. The continuation
// is attached there too: the promise ResponseWriter::send returns is a
// chained one, which Pistache 0.0.5 resolves on the reactor without taking
// its lock, so a then() from another thread races with that resolution
// (under AnswerDelivery, where onDisconnection flushes the write the moment
// the answering thread lets go of the connection, AddressSanitizer saw a
// SEGV in asyncWriteImpl within minutes).
void ReplyState::close_once_written(P::Async::Promise<ssize_t> sent) const {
  std::weak_ptr<P::Tcp::Peer> peer = writer_.getPeer();
  auto* transport = transport_;
  auto close_then = [peer, transport](P::Async::Promise<ssize_t>& written) {
    written.then([peer, transport](ssize_t) { close_gracefully(transport, peer); },
                 [](std::exception_ptr) {});
  };
  if (std::this_thread::get_id() == reactor_) return close_then(sent);
  // std::function needs a copyable action; a Promise only moves.
  auto pending = std::make_shared<P::Async::Promise<ssize_t>>(std::move(sent));
  on_reactor_after(transport, std::chrono::milliseconds(1),
                   [close_then, pending] { close_then(*pending); });
}

ReplyState::~ReplyState() {
  // A handler lost its Reply without answering: never leave a client hanging.
  if (!sent_) send(shared_->options.error_response(500, "the request was not answered"));
}

void ReplyState::log_line(const Response& response, std::optional<DropReason> dropped) const {
  // Clamped: on some virtual machines the steady clock differs slightly
  // between cores, which could make a short latency negative.
  const auto latency = std::max(
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - received_at_),
      std::chrono::duration<double, std::milli>(0));
  log::Fields fields = {
      {"method", method_},         {"path", path_},
      {"status", response.status}, {"latency_ms", std::round(latency.count() * 1000) / 1000},
      {"request_id", request_id_}, {"remote_address", remote_address_}};
  metrics::request_answered(shared_->options.kind, response.route, response.status,
                            latency.count() / 1000);
  if (!response.log_tenant.empty()) fields["tenant"] = response.log_tenant;
  if (!response.log_client_id.empty()) fields["client_id"] = response.log_client_id;
  fields["listener"] = shared_->options.name;
  if (dropped) fields["dropped"] = to_string(*dropped);
  if (is_probe(path_)) {
    log::debug("request", fields);
  } else {
    log::info("request", fields);
  }
}

void Reply::operator()(Response response) const {
  state_->send(std::move(response));
}

}  // namespace tessera::http
