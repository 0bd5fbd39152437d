#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessera::domain {

// Distinct types for values that would be a bug to mix up.
template <typename Tag, typename T>
struct Strong {
  T value{};
  friend bool operator==(const Strong& a, const Strong& b) { return a.value == b.value; }
  friend bool operator!=(const Strong& a, const Strong& b) { return a.value != b.value; }
  friend bool operator<(const Strong& a, const Strong& b) { return a.value < b.value; }
};

using TenantId = Strong<struct TenantIdTag, std::int64_t>;
using ApiId = Strong<struct ApiIdTag, std::int64_t>;
using ClientId = Strong<struct ClientIdTag, std::string>;
using SecretId = Strong<struct SecretIdTag, std::int64_t>;
using AdminKeyId = Strong<struct AdminKeyIdTag, std::int64_t>;
// Which master key made a stored keyed hash or sealed key: the number the
// database gave that key (table master_keys). Rows made before master keys
// were numbered count as number 1 (migration 0007).
using MasterKeyId = Strong<struct MasterKeyIdTag, std::int16_t>;
inline constexpr MasterKeyId kFirstMasterKey{1};

using Timestamp = std::chrono::system_clock::time_point;

enum class TokenFormat { opaque, jwt };
enum class Status { active, disabled };
// JWS algorithms a tenant or API signs JWTs with (RFC 7518, RFC 8037).
enum class SigningAlg { eddsa, es256, rs256 };
inline constexpr SigningAlg kDefaultSigningAlg = SigningAlg::eddsa;

// How a client authenticates at the token endpoint (RFC 7591 §2's
// token_endpoint_auth_method): with secrets (Basic or in the body; keys may
// be registered beside them), or with keys only (RFC 7523 §2.2).
enum class ClientAuthMethod { client_secret_basic, private_key_jwt };

// Whether a client's tokens are bound to a key by a DPoP proof (RFC 9449):
// never (a proof is refused), when it sends a proof, or always (a request
// without one is refused).
enum class DpopMode { off, allowed, required };

const char* to_string(TokenFormat format);
const char* to_string(ClientAuthMethod method);
std::optional<ClientAuthMethod> parse_client_auth_method(const std::string& text);
const char* to_string(Status status);
const char* to_string(DpopMode mode);
std::optional<DpopMode> parse_dpop_mode(const std::string& text);
// "EdDSA", "ES256", "RS256": the JOSE names (RFC 7518 §3.1, RFC 8037 §3.1),
// as in a JWS header's and a JWK's `alg`.
const char* to_string(SigningAlg alg);
std::optional<TokenFormat> parse_token_format(const std::string& text);
std::optional<Status> parse_status(const std::string& text);
// Exact and case-sensitive, as JOSE names are (RFC 7515 §4.1.1): "es256" is
// not an algorithm.
std::optional<SigningAlg> parse_signing_alg(const std::string& text);

// Who makes an admin change: the admin key, and its tenant (none for a
// superadmin). Audit events record the key id.
struct Actor {
  AdminKeyId key_id;
  std::optional<TenantId> tenant;  // nullopt: superadmin
  bool is_superadmin() const { return !tenant.has_value(); }
};

}  // namespace tessera::domain
