#include "endpoints/revocation_endpoint.hpp"

#include "endpoints/client_auth.hpp"
#include "endpoints/token_lookup.hpp"
#include "http/basic_auth.hpp"
#include "http/oauth_error_writer.hpp"
#include "http/oauth_params.hpp"
#include "store/errors.hpp"

namespace tessera::endpoints {
namespace {

using domain::OAuthError;
using domain::OAuthErrorCode;

// RFC 7009 §2.1, and the client's credentials in the body (RFC 6749 §2.3.1).
const std::vector<std::string>& fields() {
  static const std::vector<std::string> names{"token", "token_type_hint", "client_id",
                                              "client_secret"};
  return names;
}

}  // namespace

void handle_revoke(PublicServices& services, std::shared_ptr<const domain::TenantView> tenant,
                   http::Request request, http::Reply reply, Stage stage) {
  const std::string& slug = tenant->tenant.slug;
  grants::TokenRequest credentials;
  try {
    const auto params = http::parse_oauth_params(request, fields(), {});
    grants::read_client_credentials(params, http::parse_authorization(request.header("authorization")),
                                    credentials);
    const auto authenticated = authenticate_client(services, *tenant, credentials,
                                                   request.remote_address,
                                                   std::chrono::system_clock::now(), stage);
    const auto token = params.get("token");
    if (!token) throw OAuthError(OAuthErrorCode::invalid_request, "token is required");
    if (auto found = find_presented_token(services, *tenant, *token, true)) {
      // RFC 7009 §2.1: a client may revoke only tokens issued to it.
      if (found->status.client_id != authenticated.client->client.client_id.value) {
        throw OAuthError(OAuthErrorCode::unauthorized_client,
                         "the token was issued to another client");
      }
      if (!found->status.revoked) {
        services.token_status.revoke(tenant->tenant.id, found->id);
        services.changes.wait_for_committed_changes();
      }
    }
    // RFC 7009 §2.2: 200 whether or not the token existed.
    auto response = http::empty_response(200);
    http::add_no_store(response);
    response.log_tenant = slug;
    response.log_client_id = credentials.client_id;
    reply(response);
  } catch (const NeedsWorker& needs) {
    // Nothing with an effect ran before the throw: the handler starts over
    // where it may do what it needs.
    continue_at(services, stage, needs, reply, slug,
                [&services, tenant = std::move(tenant), request = std::move(request),
                 reply](Stage to) mutable {
                  handle_revoke(services, std::move(tenant), std::move(request), reply, to);
                });
  } catch (const RateLimited& limited) {
    reply(rate_limited_response(limited, &credentials, slug));
  } catch (const OAuthError& e) {
    reply(oauth_error_response(e, &credentials, slug));
  } catch (const store::Unavailable& e) {
    reply(database_unavailable_response(e, slug));
  }
}

}  // namespace tessera::endpoints
