#pragma once

// Assertions shared by the store suites.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/models.hpp"
#include "store/errors.hpp"

namespace tessera::store::postgres {
namespace {

using domain::ApiScope;

// Runs `body` and returns the store::Conflict's field; fails the test when
// nothing or something else is thrown.
template <typename Body>
std::string conflict_field_of(Body&& body) {
  try {
    body();
  } catch (const Conflict& e) {
    return e.field();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected store::Conflict, got: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected store::Conflict, nothing was thrown";
  return "";
}

inline std::vector<std::string> scope_values(const std::vector<ApiScope>& scopes) {
  std::vector<std::string> values;
  for (const auto& s : scopes) values.push_back(s.value);
  return values;
}

}  // namespace
}  // namespace tessera::store::postgres
