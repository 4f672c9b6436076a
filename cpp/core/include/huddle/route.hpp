// The frames huddle-server forwards (relay, signal) and answers at once (ping), read for routing
// only: the fields the Hub needs, and the payload as the JSON text it arrived as (views into the
// frame), never a tree. Anything else, and anything unusual about these (an escaped key, a field
// given twice, a value out of range, a null), is left to the full decoder (decodeClientMessage),
// which accepts or refuses it with the protocol's error codes. So whatever readRoute accepts, the
// full decoder accepts too, with the same fields (tests/cpp/core/route_test.cpp checks it). The
// Hub forwards every signal and relay frame as a Route, whichever decoder read it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "huddle/limits.hpp"

namespace huddle {

// One recipient's share of a relay frame.
struct RoutePart {
  std::string_view to;
  std::string_view data;  // JSON text
};

// A relay frame: `data` to `to`, or to everyone when `to` is empty; or, with parts, each part's
// data to its member.
struct RouteRelay {
  std::string_view to;
  std::uint64_t seq = 0;
  std::string_view data;
  std::array<RoutePart, limits::kMaxRoomSizeCap - 1> parts{};
  std::size_t partCount = 0;
};

// A signal frame; `data` is an offer/answer or candidate of the shape the protocol allows, and
// nothing else, so forwarding its text forwards what the full decoder would.
struct RouteSignal {
  std::string_view to;
  std::string_view data;
};

struct RoutePing {
  std::uint64_t id = 0;
};

using Route = std::variant<RouteRelay, RouteSignal, RoutePing>;

// nullopt: not one of these frames, or not certainly well formed; use the full decoder.
std::optional<Route> readRoute(std::string_view text);

}  // namespace huddle
