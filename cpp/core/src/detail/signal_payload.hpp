// The "data" object of signal frames, shared by both directions of the codec.
#pragma once

#include <nlohmann/json.hpp>

#include "detail/json_fields.hpp"
#include "huddle/message.hpp"

namespace huddle::detail {

// Validates {"kind": "offer"|"answer", "sdp": string} or
// {"kind": "ice_candidate", "candidate": string, "sdpMid"?: string, "sdpMLineIndex"?: int}.
// Problems are recorded in `outer` under the field name "data".
SignalPayload readSignalPayload(const json& data, Fields& outer);
json writeSignalPayload(const SignalPayload& payload);

}  // namespace huddle::detail
