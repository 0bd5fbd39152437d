#include "http/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace tessera::http {
namespace {

using namespace std::chrono_literals;

// Occupies every worker of a one-thread pool until open() is called.
class Gate {
 public:
  void block(WorkerPool& pool) {
    std::promise<void> started;
    auto running = started.get_future();
    pool.post(
        [this, &started] {
          started.set_value();
          opened_.wait();
        },
        [] { FAIL() << "the blocking task was shed"; });
    running.wait();
  }
  void open() { gate_.set_value(); }

 private:
  std::promise<void> gate_;
  std::shared_future<void> opened_ = gate_.get_future().share();
};

TEST(WorkerPoolTest, ShedsAtOnceOnTheCallersThreadWhenTheQueueIsFull) {
  WorkerPool pool("test", 1, {2, 10s});
  Gate gate;
  gate.block(pool);
  std::atomic<int> ran{0};
  for (int i = 0; i < 2; ++i) pool.post([&ran] { ++ran; }, [] { FAIL() << "shed while room"; });
  EXPECT_EQ(pool.waiting(), 2u);

  bool shed = false;
  const auto caller = std::this_thread::get_id();
  std::thread::id shed_on;
  pool.post([&ran] { ran += 100; },
            [&] {
              shed = true;
              shed_on = std::this_thread::get_id();
            });
  EXPECT_TRUE(shed) << "a task past the limit must be answered before post() returns";
  EXPECT_EQ(shed_on, caller);
  EXPECT_EQ(pool.waiting(), 2u);

  gate.open();
  pool.stop();
  EXPECT_EQ(ran.load(), 2) << "the queued tasks run, the shed one never";
}

TEST(WorkerPoolTest, ShedsTasksThatWaitedLongerThanMaxWaitInsteadOfRunningThem) {
  WorkerPool pool("test", 1, {16, 50ms});
  Gate gate;
  gate.block(pool);
  std::atomic<int> ran{0}, shed{0};
  for (int i = 0; i < 3; ++i) pool.post([&ran] { ++ran; }, [&shed] { ++shed; });
  std::this_thread::sleep_for(120ms);
  gate.open();
  // A task queued after the wait is fresh and runs.
  pool.post([&ran] { ++ran; }, [&shed] { ++shed; });
  pool.stop();
  EXPECT_EQ(shed.load(), 3);
  EXPECT_EQ(ran.load(), 1);
}

TEST(WorkerPoolTest, StaleTasksAreAnsweredWhileEveryWorkerIsStuck) {
  WorkerPool pool("test", 1, {16, 50ms});
  Gate gate;
  gate.block(pool);
  std::atomic<int> ran{0};
  std::promise<void> shed;
  pool.post([&ran] { ++ran; }, [&shed] { shed.set_value(); });
  // The only worker is still stuck: the waiting task is answered anyway,
  // not when a worker next comes free.
  EXPECT_EQ(shed.get_future().wait_for(2s), std::future_status::ready);
  EXPECT_EQ(pool.waiting(), 0u);
  gate.open();
  pool.stop();
  EXPECT_EQ(ran.load(), 0);
}

// Many threads posting at once: every task is either run or shed, exactly
// once, and the queue never holds more than its limit.
TEST(WorkerPoolTest, EveryTaskIsRunOrShedExactlyOnceUnderConcurrentPosting) {
  constexpr int kPosters = 8;
  constexpr int kEach = 2000;
  std::atomic<int> ran{0}, shed{0};
  std::atomic<std::size_t> most_waiting{0};
  {
    WorkerPool pool("test", 2, {64, 10s});
    std::vector<std::thread> posters;
    for (int p = 0; p < kPosters; ++p) {
      posters.emplace_back([&] {
        for (int i = 0; i < kEach; ++i) {
          pool.post([&ran] { ++ran; }, [&shed] { ++shed; });
          const auto waiting = pool.waiting();
          auto seen = most_waiting.load();
          while (waiting > seen && !most_waiting.compare_exchange_weak(seen, waiting)) {
          }
        }
      });
    }
    for (auto& poster : posters) poster.join();
    pool.stop();
  }
  EXPECT_EQ(ran.load() + shed.load(), kPosters * kEach);
  EXPECT_LE(most_waiting.load(), 64u);
}

TEST(WorkerPoolTest, AFailingTaskDoesNotStopItsWorker) {
  WorkerPool pool("test", 1, {8, 10s});
  pool.post([] { throw std::runtime_error("boom"); }, [] {});
  std::promise<void> done;
  pool.post([&done] { done.set_value(); }, [] {});
  EXPECT_EQ(done.get_future().wait_for(5s), std::future_status::ready);
}

}  // namespace
}  // namespace tessera::http
