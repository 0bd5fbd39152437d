#include "crypto/password_hash.hpp"

#include <sodium.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace tessera::crypto {
namespace {

// Bounds memory (64 MiB each) and CPU: two cores here, so two at a time.
constexpr int kMaxConcurrent = 2;

class Slots {
 public:
  void acquire() {
    std::unique_lock lock(mutex_);
    free_.wait(lock, [this] { return in_use_ < kMaxConcurrent; });
    ++in_use_;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      --in_use_;
    }
    free_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable free_;
  int in_use_ = 0;
};

Slots& slots() {
  static Slots instance;
  return instance;
}

struct SlotGuard {
  SlotGuard() { slots().acquire(); }
  ~SlotGuard() { slots().release(); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;
};

}  // namespace

std::string password_hash(std::string_view secret) {
  SlotGuard slot;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, secret.data(), secret.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("Argon2id hashing ran out of memory");
  }
  return out;
}

bool password_verify(const std::string& stored, std::string_view secret) {
  SlotGuard slot;
  return crypto_pwhash_str_verify(stored.c_str(), secret.data(), secret.size()) == 0;
}

}  // namespace tessera::crypto
