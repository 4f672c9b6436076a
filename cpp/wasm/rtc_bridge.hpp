// Direct links on the browser's RTCPeerConnection + one negotiated RTCDataChannel per member.
// The JavaScript half (EM_JS in rtc_bridge.cpp) keeps each connection in a table keyed by
// (bridge key, peer id) and reports back through huddleLinkEvent, which WasmClient registers.
#pragma once

#include <cstdint>
#include <string>

#include "huddle/client.hpp"

namespace huddle::wasm {

// What the browser reports about one link; see RtcBridge::dispatch.
enum class LinkEvent {
  LocalDescription,  // a = "offer" | "answer", b = sdp
  LocalCandidate,    // a = candidate, b = sdpMid, index = sdpMLineIndex (-1 if none)
  Open,
  Message,  // a = text
  Failed,   // a = reason
  Closed,
};

class RtcBridge {
 public:
  // `key` names the owning client in events (see WasmClient's registry).
  explicit RtcBridge(int key) : key_(key) {}
  ~RtcBridge();  // closes every link
  RtcBridge(const RtcBridge&) = delete;
  RtcBridge& operator=(const RtcBridge&) = delete;

  void open(const PeerId& peer, const std::string& iceServersJson, bool offerer);
  void applyRemoteDescription(const PeerId& peer, SignalKind kind, const std::string& sdp);
  void addRemoteCandidate(const PeerId& peer, const IceCandidate& candidate);
  void send(const PeerId& peer, const std::string& text);
  void close(const PeerId& peer);

 private:
  int key_;
};

}  // namespace huddle::wasm
