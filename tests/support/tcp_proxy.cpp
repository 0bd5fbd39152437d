#include "support/tcp_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace tessera::test {
namespace {

constexpr std::size_t kSeenLimit = 64 * 1024;

int listen_on_loopback(int& port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(fd, 64) != 0) {
    close(fd);
    throw std::runtime_error("proxy cannot listen");
  }
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

int connect_to_loopback(int port, int& local_port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  sockaddr_in local{};
  socklen_t length = sizeof local;
  getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length);
  local_port = ntohs(local.sin_port);
  return fd;
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const auto n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

TcpProxy::TcpProxy(int target_port) : target_port_(target_port) {
  listen_fd_ = listen_on_loopback(port_);
  if (pipe(wake_) != 0) throw std::runtime_error("proxy cannot make a pipe");
  thread_ = std::thread([this] { run(); });
}

TcpProxy::~TcpProxy() {
  stopping_ = true;
  const char byte = 0;
  (void)!write(wake_[1], &byte, 1);
  if (thread_.joinable()) thread_.join();
  for (auto& link : links_) {
    close(link.client);
    close(link.upstream);
  }
  close(listen_fd_);
  close(wake_[0]);
  close(wake_[1]);
}

std::string TcpProxy::through(const std::string& url) const {
  const std::string target = ":" + std::to_string(target_port_) + "/";
  const auto at = url.find(target);
  if (at == std::string::npos) throw std::runtime_error("no port " + target + " in " + url);
  return url.substr(0, at) + ":" + std::to_string(port_) + "/" + url.substr(at + target.size());
}

std::vector<int> TcpProxy::freeze_connections_that_sent(const std::string& text) {
  std::lock_guard lock(mutex_);
  std::vector<int> ports;
  for (auto& link : links_) {
    if (link.seen.find(text) == std::string::npos) continue;
    link.frozen = true;
    ports.push_back(link.upstream_port);
  }
  return ports;
}

void TcpProxy::fault_next(const std::string& text, const std::string& unless_sent, Fault fault) {
  std::lock_guard lock(mutex_);
  rule_text_ = text;
  rule_unless_ = unless_sent;
  rule_fault_ = fault;
  fired_ = false;
}

std::vector<int> TcpProxy::ports_of_connections_that_sent(const std::string& text) {
  std::lock_guard lock(mutex_);
  std::vector<int> ports;
  for (const auto& link : links_) {
    if (!link.frozen && link.seen.find(text) != std::string::npos) {
      ports.push_back(link.upstream_port);
    }
  }
  return ports;
}

void TcpProxy::accept_one() {
  const int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (client < 0) return;
  Link link;
  link.client = client;
  link.upstream = connect_to_loopback(target_port_, link.upstream_port);
  if (link.upstream < 0) {
    close(client);
    return;
  }
  std::lock_guard lock(mutex_);
  links_.push_back(std::move(link));
}

bool TcpProxy::pump(Link& link, bool from_client) {
  char buffer[16384];
  const int from = from_client ? link.client : link.upstream;
  const int to = from_client ? link.upstream : link.client;
  const auto n = ::recv(from, buffer, sizeof buffer, 0);
  if (n <= 0) return false;
  if (from_client) {
    const std::string chunk(buffer, static_cast<std::size_t>(n));
    if (!rule_text_.empty() && chunk.find(rule_text_) != std::string::npos &&
        link.seen.find(rule_unless_) == std::string::npos) {
      // Nothing of it reaches the server.
      rule_text_.clear();
      fired_ = true;
      if (rule_fault_ == Fault::cut) return false;
      link.frozen = true;
      return true;
    }
    if (link.seen.size() < kSeenLimit) link.seen += chunk;
  }
  return write_all(to, buffer, static_cast<std::size_t>(n));
}

void TcpProxy::run() {
  while (!stopping_) {
    std::vector<pollfd> fds = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    {
      std::lock_guard lock(mutex_);
      for (const auto& link : links_) {
        // A frozen link is not read at all: its bytes stay in the kernel
        // buffers, as with packets dropped on the way.
        fds.push_back({link.client, static_cast<short>(link.frozen ? 0 : POLLIN), 0});
        fds.push_back({link.upstream, static_cast<short>(link.frozen ? 0 : POLLIN), 0});
      }
    }
    if (poll(fds.data(), fds.size(), 50) <= 0) continue;
    if (fds[0].revents & POLLIN) accept_one();
    std::lock_guard lock(mutex_);
    std::vector<Link> kept;
    for (std::size_t i = 0; i < links_.size(); ++i) {
      auto& link = links_[i];
      bool alive = true;
      const std::size_t at = 2 + 2 * i;
      if (at + 1 < fds.size() && !link.frozen) {
        if (fds[at].revents & (POLLIN | POLLHUP | POLLERR)) alive = pump(link, true);
        if (alive && !link.frozen && (fds[at + 1].revents & (POLLIN | POLLHUP | POLLERR))) {
          alive = pump(link, false);
        }
      }
      if (alive) {
        kept.push_back(std::move(link));
      } else {
        close(link.client);
        close(link.upstream);
      }
    }
    links_ = std::move(kept);
  }
}

}  // namespace tessera::test
