#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tessera::test {

// A TCP proxy in the test process between a server instance and PostgreSQL,
// for faults a real network has: a connection that goes silent (no FIN, no
// RST: packets simply stop), or one cut the moment it sends a given
// statement. Each client connection gets its own upstream connection; the
// proxy watches what clients send (PostgreSQL's protocol carries statement
// text in clear) to tell the change listener's connection from the others.
class TcpProxy {
 public:
  // Forwards 127.0.0.1:<port()> to 127.0.0.1:<target_port>.
  explicit TcpProxy(int target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }
  // `url` (postgresql://…@127.0.0.1:<target>/…) with the proxy's port instead.
  std::string through(const std::string& url) const;

  // Stops forwarding, in both directions, on every connection that has sent
  // `text` (e.g. "LISTEN"); the sockets stay open, as in a partition. Returns
  // the upstream local ports of those connections (pg_stat_activity's
  // client_port), empty when none matched.
  std::vector<int> freeze_connections_that_sent(const std::string& text);
  // What happens to a connection caught by the one-shot rule.
  enum class Fault {
    freeze,  // its packets are lost from then on (the sockets stay open)
    cut,     // it is closed, both ways
  };
  // From now on, the first connection that has never sent `unless_sent` and
  // sends `text` suffers `fault` before that text is forwarded. One shot.
  void fault_next(const std::string& text, const std::string& unless_sent, Fault fault);
  // Whether the one-shot rule has fired.
  bool fired() const { return fired_.load(); }
  // Upstream local ports of connections that have sent `text` and are not frozen.
  std::vector<int> ports_of_connections_that_sent(const std::string& text);

 private:
  struct Link {
    int client = -1;
    int upstream = -1;
    int upstream_port = 0;
    std::string seen;  // what the client sent (statements only matter; capped)
    bool frozen = false;
  };
  void run();
  void accept_one();
  // Copies what is readable on `from` to `to`; false once either side ended.
  bool pump(Link& link, bool from_client);

  int target_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  int wake_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<Link> links_;
  std::string rule_text_;
  std::string rule_unless_;
  Fault rule_fault_ = Fault::freeze;
  std::atomic<bool> fired_{false};
  std::thread thread_;
};

}  // namespace tessera::test
