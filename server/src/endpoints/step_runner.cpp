#include "endpoints/step_runner.hpp"

#include "http/oauth_error_writer.hpp"
#include "log/log.hpp"
#include "metrics/probes.hpp"
#include "store/errors.hpp"

namespace tessera::endpoints {
namespace {

using domain::OAuthError;
using domain::OAuthErrorCode;

// The log line's fields; they are never sent.
// Also where every token endpoint answer is counted, whichever stage gave it.
http::Response finish(const Exchange& exchange, http::Response response) {
  response.log_tenant = exchange.log_tenant;
  response.log_client_id = exchange.log_client_id;
  response.route = exchange.route;
  if (exchange.route == metrics::Route::token) {
    metrics::token_answered(response.status < 400 ? std::nullopt : response.oauth_error);
  }
  return response;
}

http::WorkerPool& pool_of(PublicServices& services, Stage stage) {
  return stage == Stage::argon2 ? services.argon2 : services.workers;
}

}  // namespace

http::Response refusal(const Exchange& exchange, const OAuthError& error) {
  auto response = http::write_oauth_error(error);
  if (error.status() == 401) {
    if (exchange.challenge == Challenge::basic) {
      response.with_header("WWW-Authenticate", "Basic realm=\"tessera\"");
    } else if (exchange.challenge == Challenge::bearer) {
      response.with_header("WWW-Authenticate", "Bearer realm=\"tessera\"");
    }
  }
  return response;
}

Outcome attempt(PublicServices& services, Exchange& exchange, const Step& step) {
  try {
    return step(services, exchange);
  } catch (const OAuthError& error) {
    return Outcome::answer(refusal(exchange, error));
  } catch (const store::Unavailable& cause) {
    log::warn("database unavailable", {{"error", cause.what()}});
    return Outcome::answer(refusal(exchange, OAuthError(OAuthErrorCode::temporarily_unavailable,
                                                        "the database is unavailable; retry")));
  } catch (const std::exception& cause) {
    log::error("request failed",
               {{"error", cause.what()}, {"request_id", exchange.request.request_id}});
    return Outcome::answer(
        refusal(exchange, OAuthError(OAuthErrorCode::server_error, "internal error")));
  }
}

void run(PublicServices& services, std::shared_ptr<Exchange> exchange, const Step& step,
         const http::Reply& reply) {
  auto outcome = attempt(services, *exchange, step);
  if (auto* answer = outcome.answered())
    return reply(finish(*exchange, std::move(answer->response)));

  if (auto* next = outcome.continues()) {
    if (next->stage == exchange->stage || next->stage == Stage::reactor) {
      // A step that cannot go on where it runs, nor anywhere: a bug.
      log::error("a request asked for a stage it cannot go on at",
                 {{"tenant", exchange->log_tenant}});
      return reply(finish(*exchange, refusal(*exchange, OAuthError(OAuthErrorCode::server_error,
                                                                   "internal error"))));
    }
    const Stage to = next->stage;
    pool_of(services, to)
        .post(
            [&services, exchange, rest = std::move(next->rest), reply, to] {
              exchange->stage = to;
              run(services, exchange, rest, reply);
            },
            [exchange, reply] {
              reply(finish(*exchange,
                           refusal(*exchange, OAuthError(OAuthErrorCode::temporarily_unavailable,
                                                         "the server is busy; retry"))));
            });
    return;
  }

  auto* issue = outcome.issues();
  const auto format = issue->record.format;
  services.recorder.record(
      std::move(issue->record),
      [exchange, reply, format, response = std::move(issue->response),
       on_committed = std::move(issue->on_committed)](store::RecordResult result) mutable {
        if (result == store::RecordResult::replayed_dpop_proof) {
          return reply(
              finish(*exchange, refusal(*exchange, OAuthError(OAuthErrorCode::invalid_dpop_proof,
                                                              "the DPoP proof was used before"))));
        }
        if (result == store::RecordResult::replayed_assertion) {
          return reply(
              finish(*exchange, refusal(*exchange, OAuthError(OAuthErrorCode::invalid_client,
                                                              "client authentication failed"))));
        }
        if (result != store::RecordResult::committed) {
          return reply(finish(
              *exchange, refusal(*exchange, OAuthError(OAuthErrorCode::temporarily_unavailable,
                                                       "the token could not be recorded; retry"))));
        }
        if (on_committed) on_committed();
        metrics::token_issued(format);
        reply(finish(*exchange, std::move(response)));
      });
}

}  // namespace tessera::endpoints
