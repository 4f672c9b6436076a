// A ClientSession wired to a FakePort and a RecordingObserver, with helpers that play the server
// and the other members. Frames the session sends are read back with the real decoders.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fakes/fake_port.hpp"
#include "fakes/printers.hpp"
#include "fakes/recording_observer.hpp"
#include "huddle/client.hpp"
#include "huddle/codec.hpp"

namespace huddle::testing {

inline const nlohmann::json kIceServers = nlohmann::json::array({{{"urls", "stun:stun.example.org:3478"}}});

class ClientHarness {
 public:
  explicit ClientHarness(ClientConfig config = {}) : session(config, port, observer) {}

  // ---- playing the server ----
  void fromServer(const ServerMessage& message) { session.onSignalingFrame(encode(message)); }
  void welcome(const PeerId& self, bool resumed = false) {
    fromServer(Welcome{limits::kProtocolVersion, self, kIceServers, limits::kMaxFrameBytes, kToken, resumed});
  }
  static constexpr const char* kToken = "TOKEN-0123456789abcdef";

  // Joins room ABC234 as `self`; `members` lists everyone in join order, `self` included.
  void enterRoom(const PeerId& self, const std::vector<PeerInfo>& members) {
    ASSERT_TRUE(session.joinRoom("ABC234", "Me").ok());
    session.onSignalingOpen();
    welcome(self);
    fromServer(RoomJoined{"ABC234", self, members.front().id, 6, members});
    ASSERT_EQ(session.status(), SessionStatus::InRoom);
  }

  // Every frame the session sent to the server, decoded.
  std::vector<ClientMessage> sentToServer() const {
    std::vector<ClientMessage> out;
    for (const auto& frame : port.signaling) {
      auto decoded = decodeClientMessage(frame);
      if (!decoded) {
        ADD_FAILURE() << "session sent an invalid frame: " << frame;
        continue;
      }
      out.push_back(std::move(decoded).value());
    }
    return out;
  }
  // The last frame sent to the server, which must be a T.
  template <typename T>
  T lastSentToServer() const {
    auto frames = sentToServer();
    if (frames.empty() || !std::holds_alternative<T>(frames.back())) {
      ADD_FAILURE() << "the last frame to the server is not of the expected type ("
                    << (port.signaling.empty() ? "none" : port.signaling.back()) << ")";
      return T{};
    }
    return std::get<T>(frames.back());
  }

  // ---- playing the other members ----
  void fromPeer(const PeerId& peer, const PeerMessage& message) { session.onLinkFrame(peer, encode(message)); }
  void signalFrom(const PeerId& peer, SignalPayload data) { fromServer(SignalIn{peer, std::move(data)}); }

  // Every frame the session sent on the link to `peer`, decoded.
  std::vector<PeerMessage> sentToPeer(const PeerId& peer) const {
    std::vector<PeerMessage> out;
    for (const auto& frame : port.framesTo(peer)) {
      auto decoded = decodePeerMessage(frame);
      if (!decoded) {
        ADD_FAILURE() << "session sent an invalid peer frame: " << frame;
        continue;
      }
      out.push_back(std::move(decoded).value());
    }
    return out;
  }
  // The app messages (not acks or pongs) sent to `peer`, in order.
  std::vector<AppMessage> messagesTo(const PeerId& peer) const {
    std::vector<AppMessage> out;
    for (const auto& m : sentToPeer(peer)) {
      if (const auto* app = std::get_if<AppMessage>(&m)) out.push_back(*app);
    }
    return out;
  }
  std::vector<std::uint64_t> acksTo(const PeerId& peer) const {
    std::vector<std::uint64_t> out;
    for (const auto& m : sentToPeer(peer)) {
      if (const auto* ack = std::get_if<Ack>(&m)) out.push_back(ack->seq);
    }
    return out;
  }

  // ---- the clock ----
  void advance(double ms) {
    port.advance(ms, [this](TimerId id) { session.onTimer(id); });
  }

  // `peer` as peers() reports it; nullopt when not a member.
  std::optional<PeerView> viewOf(const PeerId& peer) const {
    for (const auto& v : session.peers()) {
      if (v.info.id == peer) return v;
    }
    return std::nullopt;
  }
  std::optional<LinkState> linkOf(const PeerId& peer) const {
    auto v = viewOf(peer);
    return v ? std::optional<LinkState>(v->link) : std::nullopt;
  }
  // Whether `peer` is listed as away; a test failure when it is not listed at all.
  bool isAway(const PeerId& peer) const {
    auto v = viewOf(peer);
    if (!v) ADD_FAILURE() << peer << " is not listed";
    return v && v->away;
  }

  FakePort port;
  RecordingObserver observer;
  ClientSession session;  // declared last: it talks to port and observer until it is destroyed
};

}  // namespace huddle::testing
