// The environment that load_config reads from: secret variables leave the
// process environment once read (SPEC §2, docs/operations.md "Secrets in
// memory").
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace tessera::config {
namespace {

// base64url of 32 bytes, unpadded: what a master key looks like.
constexpr const char* kUnpaddedKey = "bWFzdGVyLWtleS1mb3ItdGhlLWVudmlyb25tZW50LXQ";

// An entry of the real process environment in memory the test owns, as the
// strings execve leaves on the stack are (what /proc/<pid>/environ shows):
// putenv keeps the pointer, so the test sees what is done to those bytes.
class EnvEntry {
 public:
  EnvEntry(std::string name, const std::string& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    const std::string text = name_ + "=" + value;
    buffer_.assign(text.begin(), text.end());
    buffer_.push_back('\0');
    putenv(buffer_.data());
  }
  ~EnvEntry() {
    if (old_) {
      setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }
  EnvEntry(const EnvEntry&) = delete;
  EnvEntry& operator=(const EnvEntry&) = delete;

  // The bytes after "NAME=" as they are now.
  std::string value_bytes() const {
    const std::size_t start = name_.size() + 1;
    return std::string(buffer_.data() + start, buffer_.size() - 1 - start);
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
  std::vector<char> buffer_;
};

TEST(ProcessEnvironmentTest, WipesASecretVariableFromTheEnvironmentOnceRead) {
  for (const std::string name : {"TESSERA_MASTER_KEY", "TESSERA_PREVIOUS_MASTER_KEYS"}) {
    SCOPED_TRACE(name);
    EnvEntry entry(name, kUnpaddedKey);
    const EnvLookup env = process_environment();
    EXPECT_EQ(env(name), std::optional<std::string>(kUnpaddedKey));
    // Overwritten where it was (what /proc/<pid>/environ reads) ...
    EXPECT_EQ(entry.value_bytes(), std::string(std::strlen(kUnpaddedKey), '\0'));
    // ... and gone for a later getenv() and for child processes.
    EXPECT_EQ(std::getenv(name.c_str()), nullptr);
    EXPECT_EQ(env(name), std::nullopt);
  }
}

TEST(ProcessEnvironmentTest, LeavesOtherVariablesInTheEnvironment) {
  EnvEntry entry("TESSERA_DATABASE_URL", "postgresql:///tessera");
  const EnvLookup env = process_environment();
  EXPECT_EQ(env("TESSERA_DATABASE_URL"), std::optional<std::string>("postgresql:///tessera"));
  EXPECT_EQ(entry.value_bytes(), "postgresql:///tessera");
  ASSERT_NE(std::getenv("TESSERA_DATABASE_URL"), nullptr);
  EXPECT_STREQ(std::getenv("TESSERA_DATABASE_URL"), "postgresql:///tessera");
}

}  // namespace
}  // namespace tessera::config
