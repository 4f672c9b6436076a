// The "data" object of signal frames, shared by both directions of the codec.
#pragma once

#include <string>
#include <string_view>

#include "detail/text_fields.hpp"
#include "huddle/message.hpp"

namespace huddle::detail {

// Validates {"kind": "offer"|"answer", "sdp": string} or
// {"kind": "ice_candidate", "candidate": string, "sdpMid"?: string, "sdpMLineIndex"?: int}
// (validated JSON text). Problems are recorded in `outer` under the field name "data".
SignalPayload readSignalPayload(std::string_view data, TextFields& outer);
std::string writeSignalPayload(const SignalPayload& payload);

}  // namespace huddle::detail
