#include "domain/models.hpp"

namespace tessera::domain {

const char* to_string(SigningKeyState state) {
  switch (state) {
    case SigningKeyState::next:
      return "next";
    case SigningKeyState::active:
      return "active";
    case SigningKeyState::retired:
      return "retired";
  }
  return "retired";
}

}  // namespace tessera::domain
