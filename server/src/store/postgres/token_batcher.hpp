#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <string>
#include <thread>
#include <vector>

#include "store/client_credentials_store.hpp"

namespace tessera::store::postgres {

// Group commit (notes/group-commit-measurements.md): token records queue up
// while the previous batch commits, then go in as one autocommitted
// INSERT … SELECT FROM unnest(…) on a connection of the batcher's own. Each
// request is completed after its batch committed; a failed batch fails
// exactly its requests. Batches form by themselves under load; an idle
// server commits a lone record at once (no timer adds latency).
class TokenBatcher : public TokenRecorder {
 public:
  // `connections` batches commit side by side, each on its own connection
  // and thread: a commit costs at least one scheduler tick when the machine
  // is busy, so overlapping commits keeps requests from queueing behind one.
  explicit TokenBatcher(std::string database_url, unsigned connections = 1,
                        std::size_t max_batch = 512);
  ~TokenBatcher() override;
  TokenBatcher(const TokenBatcher&) = delete;
  TokenBatcher& operator=(const TokenBatcher&) = delete;

  void record(TokenRecord record, std::function<void(bool committed)> done) override;

  // Commits what is queued, then stops the thread; later records fail.
  void stop();

 private:
  struct Item {
    TokenRecord record;
    std::function<void(bool)> done;
  };
  void run(std::unique_ptr<pqxx::connection>& connection);
  bool insert(std::unique_ptr<pqxx::connection>& connection, const std::vector<Item>& batch);

  const std::string database_url_;
  const std::size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<Item> queue_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<pqxx::connection>> connections_;
  std::vector<std::thread> threads_;
};

// The text form of the ten parameter arrays of sql::kInsertTokens (exposed
// for tests).
struct TokenArrays {
  std::string tenant_ids, ids, client_ids, secret_ids, api_ids, scopes, formats, hashes,
      issued_at, expires_at;
};
TokenArrays token_arrays(const std::vector<const TokenRecord*>& records);

}  // namespace tessera::store::postgres
