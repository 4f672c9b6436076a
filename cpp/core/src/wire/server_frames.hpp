// The server frames the hot path sends, written straight into one string: the same JSON as
// encode(RelayIn / SignalIn / Pong) (codec.hpp) with the payload copied in as the text it arrived
// as. `from` is a member's peer id, which is only ever letters, digits, _ and - (isValidPeerId),
// so it needs no escaping.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace huddle::wire {

std::string relayFrame(std::string_view from, std::uint64_t seq, bool broadcast, std::string_view data);
std::string signalFrame(std::string_view from, std::string_view data);
std::string pongFrame(std::uint64_t id);

}  // namespace huddle::wire
