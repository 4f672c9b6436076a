// The server frames the hot path sends, written straight into their shared buffer: the same JSON as
// encode(RelayIn / SignalIn / Pong) (codec.hpp) with the payload copied in as the text it arrived
// as. `from` is a member's peer id, which is only ever letters, digits, _ and - (isValidPeerId),
// so it needs no escaping.
#pragma once

#include <cstdint>
#include <string_view>

#include "huddle/shared_frame.hpp"

namespace huddle::wire {

SharedFrame relayFrame(std::string_view from, std::uint64_t seq, bool broadcast, std::string_view data);
SharedFrame signalFrame(std::string_view from, std::string_view data);
SharedFrame pongFrame(std::uint64_t id);

}  // namespace huddle::wire
