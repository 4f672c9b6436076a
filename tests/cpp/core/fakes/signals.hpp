// Short builders for signal payloads (SignalPayload is an aggregate with optional parts).
#pragma once

#include <string>
#include <utility>

#include "huddle/message.hpp"

namespace huddle::testing {

inline SignalPayload description(SignalKind kind, std::string sdp) {
  SignalPayload p;
  p.kind = kind;
  p.sdp = std::move(sdp);
  return p;
}
inline SignalPayload offer(std::string sdp) { return description(SignalKind::Offer, std::move(sdp)); }
inline SignalPayload answer(std::string sdp) { return description(SignalKind::Answer, std::move(sdp)); }
inline SignalPayload candidate(std::string candidate, std::string sdpMid = "", int sdpMLineIndex = -1) {
  SignalPayload p;
  p.kind = SignalKind::IceCandidate;
  p.candidate = std::move(candidate);
  p.sdpMid = std::move(sdpMid);
  p.sdpMLineIndex = sdpMLineIndex;
  return p;
}

}  // namespace huddle::testing
