#include "http/worker_pool.hpp"

#include "log/log.hpp"

namespace tessera::http {
namespace {

void run_guarded(const std::string& pool, const std::function<void()>& work) {
  try {
    work();
  } catch (const std::exception& e) {
    log::error("worker task failed", {{"pool", pool}, {"error", e.what()}});
  } catch (...) {
    log::error("worker task failed", {{"pool", pool}, {"error", "unknown exception"}});
  }
}

}  // namespace

WorkerPool::WorkerPool(std::string name, unsigned threads, Limits limits)
    : name_(std::move(name)), limits_(limits) {
  for (unsigned i = 0; i < (threads == 0 ? 1 : threads); ++i) {
    threads_.emplace_back([this] { run(); });
  }
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::post(std::function<void()> task, std::function<void()> shed) {
  {
    std::lock_guard lock(mutex_);
    if (tasks_.size() < limits_.queue_limit && !stopping_) {
      tasks_.push_back({std::move(task), std::move(shed), std::chrono::steady_clock::now()});
      ready_.notify_one();
      return;
    }
  }
  run_guarded(name_, shed);
}

std::size_t WorkerPool::waiting() {
  std::lock_guard lock(mutex_);
  return tasks_.size();
}

void WorkerPool::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void WorkerPool::run() {
  while (true) {
    Queued next;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and nothing left to run
      next = std::move(tasks_.front());
      tasks_.pop_front();
    }
    // Its client has likely given up, and answering it late would only
    // delay the tasks behind it further: answer 503 now instead.
    const bool stale = std::chrono::steady_clock::now() - next.queued_at > limits_.max_wait;
    run_guarded(name_, stale ? next.shed : next.task);
  }
}

}  // namespace tessera::http
