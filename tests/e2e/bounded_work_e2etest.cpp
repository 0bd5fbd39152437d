// Bounded work (SPEC §2, §6): every queue has a limit, and past it, or once
// queued work is older than TESSERA_QUEUE_MAX_WAIT, the answer is 503
// temporarily_unavailable with Retry-After, never a growing backlog. The
// database is made slow by holding a table lock from the test.
#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <functional>
#include <pqxx/pqxx>
#include <thread>

#include "e2e/token_fixture.hpp"

namespace tessera::test {
namespace {

using Clock = std::chrono::steady_clock;
const std::string& kGrant = kClientCredentials;

// An answer and how long after the start of the burst it came.
struct Timed {
  HttpResult result;
  double seconds = 0;
};

// Sends `count` requests at once, each on its own connection, and returns
// their answers; `while_in_flight` runs meanwhile (e.g. to release a lock).
std::vector<Timed> burst(
    int count, const std::function<HttpResult(int)>& send,
    const std::function<void()>& while_in_flight = [] {}) {
  std::vector<Timed> answers(count);
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      try {
        answers[i].result = send(i);
      } catch (const std::exception& e) {
        answers[i].result.body = e.what();  // status 0: a transport failure
      }
      answers[i].seconds = std::chrono::duration<double>(Clock::now() - start).count();
    });
  }
  std::exception_ptr failed;
  try {
    while_in_flight();
  } catch (...) {
    failed = std::current_exception();
  }
  for (auto& thread : threads) thread.join();
  if (failed) std::rethrow_exception(failed);
  return answers;
}

// Holds an ACCESS EXCLUSIVE lock on `table` until release() (or the end of
// its scope): every query of the server that touches the table waits.
class TableLock {
 public:
  TableLock(const std::string& database_url, const std::string& table)
      : connection_(database_url), work_(connection_) {
    work_.exec("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
  }
  void release() { work_.abort(); }

 private:
  pqxx::connection connection_;
  pqxx::work work_;
};

// 503 temporarily_unavailable with a Retry-After of whole seconds.
::testing::AssertionResult IsBusy(const HttpResult& r) {
  auto ok = IsOAuthError(r, 503, "temporarily_unavailable");
  if (!ok) return ok;
  const auto retry_after = r.header("retry-after");
  if (retry_after.empty() || retry_after.find_first_not_of("0123456789") != std::string::npos) {
    return ::testing::AssertionFailure() << "Retry-After is '" << retry_after << "'";
  }
  return ::testing::AssertionSuccess();
}

std::string unknown_client(int i) {
  return basic_auth("cl_unknownclient" + std::to_string(1000 + i), "not-the-secret-0123456789");
}

// One worker, four places in each queue, one second of patience, and one
// place for Argon2id checks.
class BoundedWorkE2eTest : public TokenSuite<BoundedWorkE2eTest> {
 public:
  static Env server_settings() {
    return {{"TESSERA_THREADS", "1"},
            {"TESSERA_QUEUE_LIMIT", "4"},
            {"TESSERA_QUEUE_MAX_WAIT", "1s"},
            {"TESSERA_ARGON2_QUEUE", "1"}};
  }

 protected:
  // Caches the tenant and the clients the tests use while workers are busy,
  // once the server has heard the notices of the fixture's own changes
  // (each drops the client it names from the cache).
  static void warm_up(const std::string& source) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ASSERT_EQ(post_from(source, basic_auth(fx().main)).status, 200);
    ASSERT_EQ(post_from(source, basic_auth(fx().imported)).status, 200);
  }
  static HttpResult post_from(const std::string& source, const std::string& authorization) {
    return http_request_from(source, "POST", token_url(), kGrant, {kFormType, authorization});
  }
};

TEST_F(BoundedWorkE2eTest, AFullWorkerQueueAnswers503AtOnceAndStaleWorkIsNotDoneLate) {
  warm_up("127.0.0.11");
  // Unknown client ids are looked up on the one worker, which waits for the
  // lock: the first lookup holds it, four wait in the queue, the rest find
  // the queue full.
  TableLock lock(server_->db.url(), "clients");
  HttpResult ready, imported_wrong, main_right;
  double ready_seconds = 0;
  const auto answers = burst(
      10, [](int i) { return post_from("127.0.0.11", unknown_client(i)); },
      [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        // While the worker is stuck: readiness comes from the background
        // probe, an imported secret is checked on the Argon2id pool, and a
        // cached client's token goes straight to the batcher.
        const auto asked = Clock::now();
        ready = http_request("GET", url("/readyz"));
        ready_seconds = std::chrono::duration<double>(Clock::now() - asked).count();
        imported_wrong = post_from("127.0.0.12", basic_auth(fx().imported.id, "wrong-0123456789"));
        main_right = post_from("127.0.0.12", basic_auth(fx().main));
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        lock.release();
      });

  EXPECT_EQ(ready.status, 200) << describe(ready);
  EXPECT_LT(ready_seconds, 0.5);
  EXPECT_TRUE(IsInvalidClient(imported_wrong, true));
  EXPECT_TRUE(IsToken(main_right, "read write"));

  int shed_at_once = 0, shed_after_max_wait = 0, unauthorized = 0;
  for (const auto& answer : answers) {
    if (answer.result.status == 401) {
      ++unauthorized;
      EXPECT_TRUE(IsInvalidClient(answer.result, true));
      continue;
    }
    EXPECT_TRUE(IsBusy(answer.result)) << answer.seconds << " s";
    if (answer.seconds < 0.5) ++shed_at_once;
    // Answered once it waited 1 s, while the lock was still held (2 s).
    if (answer.seconds >= 0.9 && answer.seconds < 2.0) ++shed_after_max_wait;
  }
  // 1 on the worker + 4 queued: at least 5 had no place. The queued ones
  // are answered 503 once they waited the 1 s allowed, although the worker
  // is still stuck, rather than looked up late.
  EXPECT_GE(shed_at_once, 5);
  EXPECT_GE(shed_after_max_wait, 1);
  EXPECT_GE(unauthorized, 1);
  EXPECT_EQ(shed_at_once + shed_after_max_wait + unauthorized, 10);

  // Nothing was left behind: the worker serves again at once.
  EXPECT_TRUE(IsInvalidClient(post_from("127.0.0.11", unknown_client(99)), true));
}

TEST_F(BoundedWorkE2eTest, AFullBatcherQueueAnswers503AndOnlyAnsweredTokensAreCommitted) {
  warm_up("127.0.0.13");
  const auto before = std::stoll(token_count());
  TableLock lock(server_->db.url(), "tokens");
  const auto answers = burst(
      16, [](int) { return post_from("127.0.0.13", basic_auth(fx().main)); },
      [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(2000));
        lock.release();
      });

  int issued = 0, shed_at_once = 0;
  for (const auto& answer : answers) {
    if (answer.result.status == 200) {
      ++issued;
      EXPECT_TRUE(IsToken(answer.result, "read write"));
      continue;
    }
    EXPECT_TRUE(IsBusy(answer.result)) << answer.seconds << " s";
    if (answer.seconds < 1.5) ++shed_at_once;
  }
  EXPECT_GE(shed_at_once, 1) << "the batcher queue never filled";
  EXPECT_GE(issued, 1);
  // Every token answered 200 is committed, and no refused one is.
  EXPECT_EQ(std::stoll(token_count()) - before, issued);
}

TEST_F(BoundedWorkE2eTest, AFullArgon2QueueAnswers503AndTheRestAreChecked) {
  warm_up("127.0.0.14");
  const auto answers = burst(8, [](int i) {
    return post_from("127.0.0.14",
                     basic_auth(fx().imported.id, "wrong-imported-secret-" + std::to_string(i)));
  });
  int shed = 0, checked = 0;
  for (const auto& answer : answers) {
    if (answer.result.status == 503) {
      ++shed;
      EXPECT_TRUE(IsBusy(answer.result));
    } else {
      ++checked;
      EXPECT_TRUE(IsInvalidClient(answer.result, true)) << describe(answer.result);
    }
  }
  // One check runs and one waits: of eight at once, most find no place.
  EXPECT_GE(shed, 4);
  EXPECT_GE(checked, 1);
}

// The defaults (SPEC §2) take a burst of 64 concurrent imported-secret
// requests without refusing any.
class DefaultLimitsE2eTest : public TokenSuite<DefaultLimitsE2eTest> {};

TEST_F(DefaultLimitsE2eTest, ABurstOf64ImportedSecretRequestsIsAllAnswered200) {
  const auto answers =
      burst(64, [](int) { return post_token(token_url(), kGrant, {basic_auth(fx().imported)}); });
  for (const auto& answer : answers) {
    EXPECT_TRUE(IsToken(answer.result, "read")) << answer.seconds << " s";
  }
}

}  // namespace
}  // namespace tessera::test
