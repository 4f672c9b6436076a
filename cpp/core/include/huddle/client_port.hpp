// What a Client asks of its platform: the browser (cpp/wasm) or a test's fakes. Every call returns
// at once; results come back through the Client's platform methods (onSignalingOpen, onLinkOpen,
// onTimer, ...). All calls happen on one thread.
#pragma once

#include <cstdint>
#include <string>


#include "huddle/message.hpp"

namespace huddle {

using TimerId = std::uint64_t;
// ClientPort::startTimer's delay for "when this turn of the event loop ends".
inline constexpr double kEndOfTurn = -1;

struct IceCandidate {
  std::string candidate;
  std::string sdpMid;
  int sdpMLineIndex = -1;
};

class ClientPort {
 public:
  virtual ~ClientPort() = default;
  // The signaling WebSocket. Answer openSignaling with Client::onSignalingOpen or onSignalingClosed.
  virtual void openSignaling() = 0;
  virtual void closeSignaling() = 0;
  virtual void sendSignaling(const std::string& frame) = 0;
  // A hint that openLink is coming soon (a join that may need links is on its way to the server):
  // the platform may get a link ready now, without ICE servers and without gathering, for the
  // next openLink to take (a browser's first RTCPeerConnection and offer cost tens of ms, which
  // then overlap the server's answer). Nothing comes back; ignoring it is correct.
  virtual void prepareLink() = 0;
  // The link (RTCPeerConnection) to `peer`. The offerer also creates the data channels and an
  // offer (answer with Client::onLocalDescription); the other side waits for applyRemoteDescription.
  virtual void openLink(const PeerId& peer, const std::string& iceServers, bool offerer) = 0;
  // Applies the remote offer (then creates and reports an answer) or answer.
  virtual void applyRemoteDescription(const PeerId& peer, SignalKind kind, const std::string& sdp) = 0;
  virtual void addRemoteCandidate(const PeerId& peer, const IceCandidate& candidate) = 0;
  virtual void sendOnLink(const PeerId& peer, const std::string& frame) = 0;
  // The same on the link's unordered, no-retransmit channel (unreliable messages). May drop it.
  virtual void sendOnLinkUnreliable(const PeerId& peer, const std::string& frame) = 0;
  virtual void closeLink(const PeerId& peer) = 0;
  // One-shot timer; when it fires, the platform calls Client::onTimer(id). A delay of 0 fires in
  // a later task, after what the current one still has to do. kEndOfTurn fires sooner: when the
  // current task and the microtasks it queued (an app's awaits) are done, before any other task;
  // a platform without microtasks treats it as 0.
  virtual TimerId startTimer(double delayMs) = 0;
  virtual void cancelTimer(TimerId id) = 0;
  // Wall clock in ms since the Unix epoch (message timestamps, round-trip times, pacing).
  virtual double nowMs() = 0;
  // Uniform in [0, 1): reconnect jitter and stream epochs (need not be cryptographic).
  virtual double random() = 0;
};

}  // namespace huddle
