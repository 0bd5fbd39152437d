#pragma once

#include <functional>
#include <variant>

#include "endpoints/stage.hpp"
#include "http/response.hpp"
#include "store/client_credentials_store.hpp"

namespace tessera::endpoints {

struct PublicServices;
struct Exchange;
class Outcome;

// An endpoint, or the rest of one: from the exchange (and the services) to
// an outcome. A step that cannot finish where it runs returns the rest of
// its work as another step, holding what it computed: nothing is parsed,
// read or checked twice. Errors are thrown as domain::OAuthError (or
// store::Unavailable) and answered in one place, endpoints/step_runner.
using Step = std::function<Outcome(PublicServices&, Exchange&)>;

// What a step came to.
class Outcome {
 public:
  // Answered now.
  struct Answer {
    http::Response response;
  };
  // To go on at `stage` with `rest`.
  struct Continue {
    Stage stage;
    Step rest;
  };
  // A token to record before it is answered: `response` goes out once
  // `record` committed, after `on_committed`; 503 if it could not be.
  struct Issue {
    store::TokenRecord record;
    http::Response response;
    std::function<void()> on_committed;
  };

  static Outcome answer(http::Response response) { return Outcome(Answer{std::move(response)}); }
  static Outcome continue_at(Stage stage, Step rest) {
    return Outcome(Continue{stage, std::move(rest)});
  }
  static Outcome issue(store::TokenRecord record, http::Response response,
                       std::function<void()> on_committed) {
    return Outcome(Issue{std::move(record), std::move(response), std::move(on_committed)});
  }

  // Exactly one of these is non-null.
  Answer* answered() { return std::get_if<Answer>(&value_); }
  Continue* continues() { return std::get_if<Continue>(&value_); }
  Issue* issues() { return std::get_if<Issue>(&value_); }

 private:
  template <typename T>
  explicit Outcome(T value) : value_(std::move(value)) {}
  std::variant<Answer, Continue, Issue> value_;
};

}  // namespace tessera::endpoints
