#include "grants/client_authentication.hpp"

#include "crypto/keyed_hash.hpp"
#include "crypto/password_hash.hpp"

namespace tessera::grants {
namespace {
// Bounds the memory of remembered imported secrets.
constexpr std::size_t kMaxRemembered = 100'000;
}  // namespace

ClientAuthenticator::Result ClientAuthenticator::check_fast(const domain::ClientView* client,
                                                            const std::string& presented,
                                                            domain::Timestamp now) {
  const std::string hash = crypto::keyed_hash(keys_.current(), presented);
  Result result;
  if (client == nullptr) return result;
  bool imported_pending = false;
  for (const auto& secret : client->secrets) {
    if (!secret.usable_at(now)) continue;
    if (!secret.imported) {
      if (secret.master_key == keys_.current_id()) {
        if (crypto::constant_time_equal(hash, secret.keyed_hash)) {
          result.outcome = Result::Outcome::ok;
          result.secret_id = secret.id;
          result.rehash.reset();
        }
      } else if (const auto* key = keys_.find(secret.master_key)) {
        if (crypto::constant_time_equal(crypto::keyed_hash(*key, presented), secret.keyed_hash) &&
            result.outcome != Result::Outcome::ok) {
          result.outcome = Result::Outcome::ok;
          result.secret_id = secret.id;
          result.rehash = domain::SecretRehash{secret.master_key, hash, keys_.current_id()};
        }
      }
      continue;
    }
    std::lock_guard lock(mutex_);
    auto it = verified_.find(
        {client->client.tenant_id.value, client->client.client_id.value, secret.id.value});
    if (it != verified_.end() && crypto::constant_time_equal(hash, it->second)) {
      result.outcome = Result::Outcome::ok;
      result.secret_id = secret.id;
      result.rehash.reset();
    } else {
      imported_pending = true;
    }
  }
  if (result.outcome != Result::Outcome::ok && imported_pending) {
    result.outcome = Result::Outcome::needs_slow_check;
  }
  return result;
}

ClientAuthenticator::Result ClientAuthenticator::check_slow(const domain::ClientView& client,
                                                            const std::string& presented,
                                                            domain::Timestamp now) {
  Result result;
  for (const auto& secret : client.secrets) {
    if (!secret.imported || !secret.usable_at(now)) continue;
    if (crypto::password_verify(secret.argon2_hash, presented)) {
      result.outcome = Result::Outcome::ok;
      result.secret_id = secret.id;
      std::lock_guard lock(mutex_);
      if (verified_.size() >= kMaxRemembered) verified_.clear();
      verified_[{client.client.tenant_id.value, client.client.client_id.value, secret.id.value}] =
          crypto::keyed_hash(keys_.current(), presented);
      return result;
    }
  }
  return result;
}

void ClientAuthenticator::forget(domain::TenantId tenant, const std::string& client_id) {
  std::lock_guard lock(mutex_);
  for (auto it = verified_.begin(); it != verified_.end();) {
    if (std::get<0>(it->first) == tenant.value && std::get<1>(it->first) == client_id) {
      it = verified_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace tessera::grants
