// Round-trip and refusal checks shared by the codec suites: each suite binds them to its decoder.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <variant>

#include "huddle/error.hpp"

namespace huddle::testing {

// Encodes `message`, decodes it with `decode`, and returns the alternative T (a test failure,
// and T{}, when it does not come back as a T).
template <typename T, typename Message, typename Decode>
T roundTripWith(Decode decode, const Message& message) {
  std::string wire = encode(message);
  auto decoded = decode(wire);
  if (!decoded.ok()) {
    ADD_FAILURE() << wire << " -> " << decoded.error().message;
    return T{};
  }
  if (!std::holds_alternative<T>(decoded.value())) {
    ADD_FAILURE() << wire << " decoded as another type";
    return T{};
  }
  return std::get<T>(decoded.value());
}

// The Error `decode` refuses `text` with (a test failure when it accepts it).
template <typename Decode>
Error refusalWith(Decode decode, std::string_view text) {
  auto decoded = decode(text);
  EXPECT_FALSE(decoded.ok()) << "accepted: " << text;
  return decoded.ok() ? Error{ErrorCode::Internal, "accepted"} : decoded.error();
}

}  // namespace huddle::testing
