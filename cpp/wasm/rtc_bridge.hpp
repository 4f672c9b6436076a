// Direct links on the browser's RTCPeerConnection + two negotiated RTCDataChannels per member
// (reliable and ordered; unordered without retransmits).
// The JavaScript half (EM_JS in rtc_bridge.cpp) keeps each connection in a table keyed by
// (bridge key, peer id) and reports back through huddleLinkEvent, which WasmClient registers.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "huddle/client.hpp"

namespace huddle::wasm {

// What the browser reports about one link (Module.LinkEvent in the JavaScript half; registered
// in bindings.cpp and handled by WasmClient::dispatchLinkEvent).
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
  // `key` names the owning client in events (see WasmClient's registry). `iceTransportPolicy`:
  // "" (the browser's default, "all") or "relay" (TURN only: no host or STUN candidates).
  RtcBridge(int key, std::string iceTransportPolicy) : key_(key), iceTransportPolicy_(std::move(iceTransportPolicy)) {}
  ~RtcBridge();  // drops the spare (the session closes every link)
  RtcBridge(const RtcBridge&) = delete;
  RtcBridge& operator=(const RtcBridge&) = delete;

  // Makes a spare link for the next open() to take (ClientPort::prepareLink); one at most.
  void prepare();
  void open(const PeerId& peer, const std::string& iceServersJson, bool offerer);
  void applyRemoteDescription(const PeerId& peer, SignalKind kind, const std::string& sdp);
  void addRemoteCandidate(const PeerId& peer, const IceCandidate& candidate);
  void send(const PeerId& peer, const std::string& text);
  void sendUnreliable(const PeerId& peer, const std::string& text);
  void close(const PeerId& peer);

 private:
  int key_;
  std::string iceTransportPolicy_;
};

}  // namespace huddle::wasm
