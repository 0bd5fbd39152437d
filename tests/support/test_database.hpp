#pragma once

#include <string>

namespace tessera::test {

// A fresh database on the test cluster, dropped when the object goes. Each
// test (or fixture) gets its own, so suites can run in parallel.
class TestDatabase {
 public:
  // With `migrate`, every embedded migration is applied.
  explicit TestDatabase(bool migrate = true);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  const std::string& url() const { return url_; }

  // Runs SQL on this database (setup and assertions), returning the first
  // column of the first row as text ("" when there is none or it is NULL).
  std::string query_value(const std::string& sql) const;
  void execute(const std::string& sql) const;

 private:
  std::string name_;
  std::string url_;
};

}  // namespace tessera::test
