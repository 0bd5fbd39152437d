#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tessera::grants {

// How the client authenticated (RFC 6749 §2.3.1).
enum class AuthMethod { client_secret_basic, client_secret_post, private_key_jwt, none };

// A syntactically valid token request (SPEC §3.1 check 2 passed), read from
// HTTP by endpoints/token_request_reader.
struct TokenRequest {
  std::string grant_type;
  std::optional<std::string> scope;
  // The audience named by `audience`, `aud` or a single `resource` value.
  std::optional<std::string> audience;
  std::vector<std::string> distinct_resources;
  AuthMethod auth_method = AuthMethod::none;
  // Empty with AuthMethod::none; with private_key_jwt, the assertion's
  // `iss`, not yet verified (empty when it has none).
  std::string client_id;
  std::string client_secret;
  std::string client_assertion;  // private_key_jwt (RFC 7523 §2.2)
};

}  // namespace tessera::grants
