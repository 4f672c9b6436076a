// The link to each member: its RTCPeerConnection negotiated through the server (offer, answer,
// ICE candidates), opened within linkOpenTimeoutMs or failed, and retried with backoff by the
// side that offers. Who offers: the newer member of each pair; crossed offers (both sides remade
// a link at once) are settled by the larger peer id. A link that fails hands its member to the
// relay at once (docs/decisions.md "Retries are the offering side's job").
#pragma once

#include <string>


#include "client/context.hpp"
#include "client/streams.hpp"

namespace huddle::client {

class Negotiation {
 public:
  Negotiation(Context& ctx, Streams& streams) : ctx_(ctx), streams_(streams) {}

  // The ICE servers from welcome, for every link opened from now on.
  void setIceServers(std::string iceServers) { iceServers_ = std::move(iceServers); }
  // Starts the first link to a new member (`name` for the log).
  void open(const PeerId& peer, PeerPath& path, const std::string& name);
  // Closes the link and opens a new one; the message streams carry on over it.
  void reopen(const PeerId& peer, PeerPath& path, bool offerer);
  // The link failed (or was not open in time, or went silent): close it, relay, retry later.
  void fail(const PeerId& peer, PeerPath& path, const std::string& reason);

  // From the server and the platform (see Client).
  void onSignal(const SignalIn& signal);
  void onLocalDescription(const PeerId& peer, SignalKind kind, const std::string& sdp);
  void onLocalCandidate(const PeerId& peer, const IceCandidate& candidate);
  void onOpen(const PeerId& peer);
  void onFailed(const PeerId& peer, const std::string& reason);
  void onClosed(const PeerId& peer);

 private:
  void setState(const PeerId& peer, PeerPath& path, LinkState state);
  void startOpenTimer(const PeerId& peer, PeerPath& path);
  // The offering side tries a new link later, with backoff.
  void scheduleRetry(const PeerId& peer, PeerPath& path);

  Context& ctx_;
  Streams& streams_;
  std::string iceServers_ = "[]";  // JSON text, from welcome
};

}  // namespace huddle::client
