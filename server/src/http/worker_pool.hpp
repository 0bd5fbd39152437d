#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tessera::http {

// Threads that run work which may block (database calls, Argon2id), so that
// Pistache's reactor threads never wait: a blocked reactor stalls every
// connection it serves (notes/pistache-0.0.5.md).
//
// The queue is bounded (SPEC §6): a peer must not be able to make the server
// hold unbounded work, nor have it answer requests long after their clients
// gave up. Every task comes with what to do instead (`shed`, which answers
// 503 with Retry-After): run at once, on the caller's thread, when
// `queue_limit` tasks already wait; run instead of the task once it has
// waited longer than `max_wait`, by a watchdog thread that looks a few
// times per max_wait, so that even while every worker is stuck (a lock, a
// slow database) nothing waits much longer than max_wait for its answer.
class WorkerPool {
 public:
  struct Limits {
    std::size_t queue_limit = 1024;
    std::chrono::milliseconds max_wait{5000};
  };

  WorkerPool(std::string name, unsigned threads, Limits limits);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void post(std::function<void()> task, std::function<void()> shed);
  // Runs what is queued, then joins the threads.
  void stop();

  // Tasks waiting (not counting those running).
  std::size_t waiting();

 private:
  struct Queued {
    std::function<void()> task;
    std::function<void()> shed;
    std::chrono::steady_clock::time_point queued_at;
  };
  void run();
  void shed_stale();

  const std::string name_;
  const Limits limits_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable stopped_;  // wakes the watchdog at stop()
  std::deque<Queued> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  std::thread watchdog_;
};

}  // namespace tessera::http
