#pragma once

#include <memory>
#include <string>

#include "domain/token_views.hpp"
#include "domain/types.hpp"
#include "endpoints/stage.hpp"
#include "grants/token_request.hpp"
#include "http/request.hpp"
#include "metrics/route.hpp"

namespace tessera::endpoints {

// The WWW-Authenticate challenge of a 401 (RFC 6749 §5.2, RFC 6750 §3):
// named after the scheme the client tried.
enum class Challenge { none, basic, bearer };

// One request on its way through a public endpoint, from stage to stage.
struct Exchange {
  http::Request request;
  domain::Timestamp now{};                           // read once, when the request arrived
  Stage stage = Stage::reactor;                      // where the current step runs
  std::shared_ptr<const domain::TenantView> tenant;  // once routing found it

  // What an answer says beyond its body, learnt as the request is read: the
  // log line's tenant and client id, and a 401's challenge.
  std::string log_tenant;
  std::string log_client_id;
  Challenge challenge = Challenge::none;
  // The endpoint, once routing found it (/metrics).
  metrics::Route route = metrics::Route::other;

  // The database may be read here (not on a reactor thread).
  bool may_load() const { return stage != Stage::reactor; }

  // Notes the credentials a request presented: a 401 after Basic names the
  // scheme; only an id that could name a client is logged (anything else is
  // noise a peer chose, up to 64 KiB of it).
  void presented(const grants::TokenRequest& credentials);
};

}  // namespace tessera::endpoints
