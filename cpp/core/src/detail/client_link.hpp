// What a ClientSession keeps for each other member: the direct link, the relay path through the
// server, and the two reliable streams that ride on whichever of them is up. Shared by client.cpp
// (membership, signaling) and client_transport.cpp (moving frames).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "huddle/client.hpp"

namespace huddle {

// Control frames owed to one member on the relay, sent with its next relay frame. Each kind
// coalesces: only the newest ack, ping and pong matter.
struct RelayOutbox {
  bool sync = false;       // announce the stream (before any message) on the next frame
  std::uint64_t ack = 0;   // cumulative ack owed; 0: none
  std::optional<double> ping;
  std::optional<double> pong;
  std::deque<UnreliableMessage> unreliable;  // newest last, at most kMaxUnreliableQueuedPerPeer
  bool empty() const { return !sync && ack == 0 && !ping && !pong && unreliable.empty(); }
};

struct ClientSession::Link {
  Link(bool offerer_, std::uint64_t epoch, std::size_t capacity) : offerer(offerer_), sender(epoch, capacity) {}

  // ---- the direct (WebRTC) link ----
  bool offerer;  // we create the offer; the newer member of each pair offers
  LinkState state = LinkState::Connecting;
  bool remoteDescriptionApplied = false;
  std::vector<IceCandidate> pendingCandidates;
  TimerId openTimer = 0;
  TimerId retryTimer = 0;  // the offering side's next attempt after a failure
  int retryAttempt = 0;    // failures since the link was last open
  double unansweredSinceMs = -1;  // when the oldest unanswered ping went out; < 0: none

  // ---- the relay ----
  bool relay = false;  // the direct link is not usable: our frames to this member go through the server
  RelayOutbox outbox;
  TimerId resendTimer = 0;  // resends what the relay carried if no ack comes

  // ---- the member ----
  TimerId graceTimer = 0;  // running while the member is missing after our reconnect
  bool away = false;       // the server says so (peer_away), until peer_back or peer_left

  // ---- whichever transport is up ----
  Transport reported = Transport::None;  // last told to the observer
  TimerId pingTimer = 0;                 // running while a transport is up
  double rttMs = -1;                     // smoothed, over the current transport; < 0 until measured
  ReliableSender sender;
  std::uint64_t transmittedUpTo = 0;  // highest seq handed to the current transport
  ReliableReceiver receiver;
  std::uint64_t unreliableSent = 0;      // n of our last unreliable message to this member
  std::uint64_t unreliableEpoch = 0;     // the member's stream epoch its unreliable messages name
  std::uint64_t unreliableDelivered = 0;  // n of the newest one delivered from it
};

}  // namespace huddle
