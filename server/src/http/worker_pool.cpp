#include "http/worker_pool.hpp"

#include <algorithm>

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
  watchdog_ = std::thread([this] { shed_stale(); });
}

WorkerPool::~WorkerPool() {
  stop();
}

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
  stopped_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
  if (watchdog_.joinable()) watchdog_.join();
}

void WorkerPool::shed_stale() {
  const auto period =
      std::max<std::chrono::milliseconds>(limits_.max_wait / 4, std::chrono::milliseconds(10));
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    stopped_.wait_for(lock, period, [this] { return stopping_; });
    // Tasks wait in order: the stale ones are at the front.
    const auto too_old = std::chrono::steady_clock::now() - limits_.max_wait;
    std::vector<std::function<void()>> stale;
    while (!tasks_.empty() && tasks_.front().queued_at < too_old) {
      stale.push_back(std::move(tasks_.front().shed));
      tasks_.pop_front();
    }
    if (stale.empty()) continue;
    lock.unlock();
    for (const auto& shed : stale) run_guarded(name_, shed);
    lock.lock();
  }
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
