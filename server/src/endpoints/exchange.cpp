#include "endpoints/exchange.hpp"

#include "domain/validation.hpp"

namespace tessera::endpoints {

void Exchange::presented(const grants::TokenRequest& credentials) {
  if (credentials.auth_method == grants::AuthMethod::client_secret_basic) {
    challenge = Challenge::basic;
  }
  if (domain::is_possible_client_id(credentials.client_id)) log_client_id = credentials.client_id;
}

}  // namespace tessera::endpoints
