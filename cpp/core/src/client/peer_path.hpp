// Everything a client keeps to reach one other member: the link (its WebRTC connection), the
// relay through the server, the two reliable streams that ride on whichever of them is up, and
// what is measured on the way (round-trip time). Negotiation drives `link`, RelayBatcher drives
// `outbox`, Streams moves the frames; docs/architecture.md draws the whole path.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "huddle/client_observer.hpp"
#include "huddle/client_port.hpp"
#include "huddle/peer_message.hpp"
#include "huddle/reliable_stream.hpp"

namespace huddle::client {

class Timers;

// The WebRTC connection to the member, as negotiation leaves it.
struct Link {
  bool offerer = false;  // we create the offer; the newer member of each pair offers
  LinkState state = LinkState::Connecting;
  bool remoteDescriptionApplied = false;
  std::vector<IceCandidate> pendingCandidates;  // arrived before the offer/answer was applied
  TimerId openTimer = 0;
  TimerId retryTimer = 0;  // the offering side's next attempt after a failure
  int retryAttempt = 0;    // failures since the link was last open
  double unansweredSinceMs = -1;  // when the oldest unanswered ping went out; < 0: none
};

// What waits to go to the member over its link (LinkBatcher).
struct LinkOutbox {
  std::uint64_t ack = 0;          // the cumulative ack owed; 0: none
  std::size_t ackMessages = 0;    // delivered since the last ack went
  std::size_t ackBytes = 0;       // the link messages they came in
  TimerId ackTimer = 0;
  std::string held;               // frames for one link message: a frame, or "[f1,f2..." unclosed
  std::size_t heldFrames = 0;
  TimerId turnTimer = 0;          // running: a frame went at once in this turn of the event loop
  TimerId burstTimer = 0;         // running: frames are held, to go when it fires
};

// Control frames owed to the member on the relay, sent with its next relay frame. Each kind
// coalesces: only the newest ack, ping and pong matter.
struct RelayOutbox {
  bool sync = false;       // announce the stream (before any message) on the next frame
  std::uint64_t ack = 0;   // cumulative ack owed; 0: none
  std::optional<double> ping;
  std::optional<double> pong;
  // Unreliable messages and game frames, newest last, at most kMaxUnreliableQueuedPerPeer.
  std::deque<PeerMessage> unreliable;
  bool empty() const { return !sync && ack == 0 && !ping && !pong && unreliable.empty(); }
};

struct PeerPath {
  PeerPath(bool offerer, std::uint64_t epoch, std::size_t capacity) : sender(epoch, capacity) { link.offerer = offerer; }

  Link link;

  // ---- the relay ----
  bool relay = false;  // the link is not usable: our frames to this member go through the server
  RelayOutbox outbox;
  TimerId resendTimer = 0;  // resends what the relay carried if no ack comes

  // ---- the member ----
  TimerId graceTimer = 0;  // running while the member is missing after our reconnect
  bool away = false;       // the server says so (peer_away), until peer_back or peer_left

  // ---- the link's frames ----
  bool batches = false;  // the member reads batches (its sync said so)
  LinkOutbox linkOut;

  // ---- whichever transport is up ----
  Transport reported = Transport::None;  // last told to the observer
  TimerId pingTimer = 0;                 // running while a transport is up
  double rttMs = -1;                     // smoothed, over the current transport; < 0 until measured
  ReliableSender sender;
  std::uint64_t transmittedUpTo = 0;  // highest seq handed to the current transport
  ReliableReceiver receiver;
  std::uint64_t unreliableSent = 0;       // n of our last unreliable message to this member
  std::uint64_t unreliableEpoch = 0;      // the member's stream epoch its unreliable messages name
  std::uint64_t unreliableDelivered = 0;  // n of the newest one delivered from it

  // What carries messages to the member now: an open link beats the relay.
  Transport transport() const {
    if (link.state == LinkState::Connected) return Transport::Direct;
    return relay ? Transport::Relay : Transport::None;
  }
  // Away, or missing from the room since our reconnect: the server would refuse a relay part to it.
  bool missing() const { return away || graceTimer != 0; }
  void cancelTimers(Timers& timers);
};

// Folds one round-trip sample into a smoothed estimate (RFC 6298's SRTT: 7/8 old + 1/8 new; the
// first sample is taken as is). `smoothed` < 0 means no estimate yet.
double smoothRtt(double smoothed, double sample);

}  // namespace huddle::client
