#include "detail/signal_payload.hpp"

#include "huddle/limits.hpp"

namespace huddle::detail {

SignalPayload readSignalPayload(std::string_view data, TextFields& outer) {
  SignalPayload p;
  if (wire::kindOf(data) != wire::JsonKind::Object) {
    outer.fail("data", "expected an object");
    return p;
  }
  TextFields f(data);
  f.setType("signal.data");
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

std::string writeSignalPayload(const SignalPayload& p) {
  JsonObject data;
  data.string("kind", signalKindName(p.kind));
  if (p.kind == SignalKind::IceCandidate) {
    data.string("candidate", p.candidate);
    if (!p.sdpMid.empty()) data.string("sdpMid", p.sdpMid);
    if (p.sdpMLineIndex >= 0) data.integer("sdpMLineIndex", p.sdpMLineIndex);
  } else {
    data.string("sdp", p.sdp);
  }
  return std::move(data).close();
}

}  // namespace huddle::detail
