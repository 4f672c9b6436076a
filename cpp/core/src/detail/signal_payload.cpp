#include "detail/signal_payload.hpp"

#include "huddle/limits.hpp"

namespace huddle::detail {

SignalPayload readSignalPayload(const json& data, Fields& outer) {
  SignalPayload p;
  if (!data.is_object()) {
    outer.fail("data", "expected an object");
    return p;
  }
  Fields f(data, "signal.data");
  std::string kind = f.string("kind", 32);
  if (f.ok()) {
    if (kind == "offer") {
      p.kind = SignalKind::Offer;
    } else if (kind == "answer") {
      p.kind = SignalKind::Answer;
    } else if (kind == "ice_candidate") {
      p.kind = SignalKind::IceCandidate;
    } else {
      f.fail("kind", "expected offer, answer or ice_candidate");
    }
  }
  if (f.ok() && p.kind != SignalKind::IceCandidate) {
    p.sdp = f.string("sdp", limits::kMaxSdpBytes);
  } else if (f.ok()) {
    p.candidate = f.string("candidate", limits::kMaxCandidateBytes);
    p.sdpMid = f.optionalString("sdpMid", 64).value_or("");
    p.sdpMLineIndex = f.optionalInteger("sdpMLineIndex", 0, 1024).value_or(-1);
  }
  if (!f.ok()) outer.fail("data", f.error().message);
  return p;
}

json writeSignalPayload(const SignalPayload& p) {
  json data = {{"kind", signalKindName(p.kind)}};
  if (p.kind == SignalKind::IceCandidate) {
    data["candidate"] = p.candidate;
    if (!p.sdpMid.empty()) data["sdpMid"] = p.sdpMid;
    if (p.sdpMLineIndex >= 0) data["sdpMLineIndex"] = p.sdpMLineIndex;
  } else {
    data["sdp"] = p.sdp;
  }
  return data;
}

}  // namespace huddle::detail
