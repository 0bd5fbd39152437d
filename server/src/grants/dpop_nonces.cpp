#include "grants/dpop_nonces.hpp"

#include "crypto/base64url.hpp"
#include "crypto/keyed_hash.hpp"

namespace tessera::grants {
namespace {

constexpr std::size_t kMacBytes = 16;
constexpr std::size_t kWindowBytes = 8;

std::int64_t window_of(domain::Timestamp now) {
  return std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() /
         DpopNonces::kWindow.count();
}

std::string window_bytes(std::int64_t window) {
  std::string bytes(kWindowBytes, '\0');
  for (std::size_t i = 0; i < kWindowBytes; ++i) {
    bytes[kWindowBytes - 1 - i] = static_cast<char>((window >> (8 * i)) & 0xff);
  }
  return bytes;
}

// What the keyed hash covers: the window, then tenant and client. Client
// ids hold no NUL, so the parts cannot run into each other.
std::string mac(const crypto::SubKey& key, const std::string& window, domain::TenantId tenant,
                const std::string& client_id) {
  std::string input = window;
  input += std::to_string(tenant.value);
  input += '\0';
  input += client_id;
  return crypto::keyed_hash(key, input).substr(0, kMacBytes);
}

}  // namespace

std::string DpopNonces::issue(domain::TenantId tenant, const std::string& client_id,
                              domain::Timestamp now) const {
  const auto window = window_bytes(window_of(now));
  return crypto::base64url_encode(window + mac(keys_.current(), window, tenant, client_id));
}

bool DpopNonces::accepts(std::string_view nonce, domain::TenantId tenant,
                         const std::string& client_id, domain::Timestamp now) const {
  if (nonce.size() > 64) return false;
  const auto bytes = crypto::base64url_decode(nonce);
  if (!bytes || bytes->size() != kWindowBytes + kMacBytes) return false;
  const auto window = bytes->substr(0, kWindowBytes);
  const auto current = window_of(now);
  if (window != window_bytes(current) && window != window_bytes(current - 1)) return false;
  const auto presented = bytes->substr(kWindowBytes);
  if (crypto::constant_time_equal(presented, mac(keys_.current(), window, tenant, client_id))) {
    return true;
  }
  for (const auto& [id, key] : keys_.previous()) {
    if (crypto::constant_time_equal(presented, mac(key, window, tenant, client_id))) return true;
  }
  return false;
}

}  // namespace tessera::grants
