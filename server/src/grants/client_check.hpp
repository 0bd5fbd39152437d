#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "cache/directory.hpp"
#include "domain/failure_limiter.hpp"
#include "domain/token_views.hpp"
#include "grants/client_assertion.hpp"
#include "grants/client_authentication.hpp"
#include "grants/jti_replays.hpp"
#include "grants/remote_jwks.hpp"
#include "grants/token_request.hpp"
#include "store/client_credentials_store.hpp"

namespace tessera::grants {

// What checking a client works with, wired once at start.
struct ClientChecking {
  cache::Directory& directory;
  ClientAuthenticator& secrets;
  domain::FailureLimiter& failures;  // failed client authentications
  JtiReplays& assertions;            // private_key_jwt jtis seen here
  RemoteJwks& remote_jwks;           // keys clients publish at their jwks_uri
  const std::string& issuer_base;    // TESSERA_ISSUER_BASE: assertion audiences
  // Where an accepted jti is stored before the request goes on, when no
  // token record will store it (introspection, revocation); null at the
  // token endpoint, whose record's statement stores it.
  store::AssertionJtiStore* jtis = nullptr;
};

struct AuthenticatedClient {
  domain::SecretId secret_id;
  std::shared_ptr<const domain::ClientView> client;
  // The secret verified under a previous master key: its hash under the
  // current one, to be stored (master-key rotation).
  std::optional<domain::SecretRehash> rehash;
  // Authenticated by a client assertion (private_key_jwt; secret_id is 0):
  // its jti, which the token record's statement also stores, so that no
  // instance accepts it again.
  std::optional<VerifiedAssertion> assertion;
};

// One request's client authentication (RFC 6749 §2.3.1; SPEC §3.1 check 3,
// §3.2, §3.3, §6), in steps that each run where they may: finding the
// client may read the database, an imported secret needs Argon2id. advance()
// goes as far as it is allowed and says what it needs to go on; called
// again there, it resumes where it stopped, with what it found so far.
//
// Unknown client, wrong/expired/revoked secret, disabled client or tenant:
// all the same 401 invalid_client, after the same keyed hash. A client
// assertion (RFC 7523) is checked instead of a secret when one was sent: a
// bad or replayed one is the same 401, counted as a failure like a wrong
// secret. Failures count
// per source and per client; while either is limited, a failure is 429.
class ClientCheck {
 public:
  enum class Progress { authenticated, needs_database, needs_argon2 };

  ClientCheck(const TokenRequest& credentials, const std::string& source, domain::Timestamp now);

  // `may_load`: a cache miss may be read from the database; `may_hash`: an
  // imported secret may be checked here. Throws domain::OAuthError
  // invalid_client (401) or too_many_requests (429, with Retry-After).
  Progress advance(const ClientChecking& with, const domain::TenantView& tenant, bool may_load,
                   bool may_hash);

  // Once advance() said authenticated.
  const AuthenticatedClient& client() const { return authenticated_; }
  // The rehash to store, handed out once.
  std::optional<domain::SecretRehash> take_rehash() {
    return std::exchange(authenticated_.rehash, std::nullopt);
  }

 private:
  enum class Step {
    find_client,
    check_secret,
    check_imported,
    check_assertion,
    fetch_keys,
    claim_assertion,
    done
  };

  void find_limits(const ClientChecking& with, const domain::TenantView& tenant);
  // Where a client assertion's check goes next: done (authenticated),
  // fetch_keys (its jwks_uri, on a worker) or claim_assertion (its jti).
  Step check_assertion(const ClientChecking& with, const domain::TenantView& tenant, bool usable);
  [[noreturn]] void fail(const ClientChecking& with);

  Step step_ = Step::find_client;
  bool presented_;
  std::string client_id_;
  std::string secret_;
  std::string assertion_;         // private_key_jwt
  RemoteJwks::Keys remote_keys_;  // from the client's jwks_uri
  bool fetched_ = false;          // remote_keys_ fetched for this request
  std::string source_key_;
  domain::Timestamp now_;
  std::shared_ptr<const domain::ClientView> found_;
  std::string client_key_;
  std::optional<int> limited_;
  bool own_limit_ = false;
  AuthenticatedClient authenticated_;
};

}  // namespace tessera::grants
