// A Client wired to a FakePort and a RecordingObserver, with helpers that play the server
// and the other members. Frames the client sends are read back with the real decoders.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fakes/fake_port.hpp"
#include "fakes/printers.hpp"
#include "fakes/recording_observer.hpp"
#include "huddle/client.hpp"
#include "huddle/codec.hpp"
#include "huddle/limits.hpp"
#include "huddle/peer_message.hpp"

namespace huddle::testing {

// The frames of type T among `frames`, in order.
template <typename T>
std::vector<T> framesOf(const std::vector<PeerMessage>& frames) {
  std::vector<T> out;
  for (const auto& f : frames) {
    if (const auto* t = std::get_if<T>(&f)) out.push_back(*t);
  }
  return out;
}

// The app data of each message (AppMessage or UnreliableMessage), in order, as values.
template <typename M>
std::vector<nlohmann::json> dataOf(const std::vector<M>& messages) {
  std::vector<nlohmann::json> out;
  for (const auto& m : messages) out.push_back(nlohmann::json::parse(m.data, nullptr, false));
  return out;
}

// Frames as a batch's text: what a relay part carries.
inline std::string batchOf(const std::vector<PeerMessage>& frames) {
  std::string out = "[";
  for (const auto& f : frames) out += (out.size() > 1 ? "," : "") + encode(f);
  return out + "]";
}

// The knobs' defaults (HUDDLE_CLIENT_KNOBS), for tests that wait them out.
inline const ClientConfig kDefaults{};

// Server limits that pace the relay at one frame per kRelayIntervalMs with no burst (80 % of 50
// frames/s, half of a burst of 2): what most relay tests assume, since it makes batching visible.
// Tests of the burst set ClientHarness::rate to the server's defaults (RateLimits{}).
inline constexpr RateLimits kPacedRate{50, 2, 1e7, 2e7};
inline constexpr double kRelayIntervalMs = 25;

inline const std::string kIceServers = R"([{"urls":"stun:stun.example.org:3478"}])";

class ClientHarness {
 public:
  explicit ClientHarness(ClientConfig config = {}) : client(config, port, observer) {}

  // ---- playing the server ----
  void fromServer(const ServerMessage& message) { client.onSignalingFrame(encode(message)); }
  void welcome(const PeerId& self, bool resumed = false) {
    fromServer(
        Welcome{limits::kProtocolVersion, self, kIceServers, limits::kMaxFrameBytes, kToken, resumed, rate, roomIdleMs});
  }
  static constexpr const char* kToken = "TOKEN-0123456789abcdef";

  // Joins room ABC234 as `self`; `members` lists everyone in join order, `self` included.
  void enterRoom(const PeerId& self, const std::vector<PeerInfo>& members) {
    ASSERT_TRUE(client.joinRoom("ABC234", "Me").ok());
    client.onSignalingOpen();
    welcome(self);
    fromServer(RoomJoined{"ABC234", self, members.front().id, 6, members});
    ASSERT_EQ(client.status(), SessionStatus::InRoom);
  }

  // Every frame the client sent to the server, decoded.
  std::vector<ClientMessage> sentToServer() const {
    std::vector<ClientMessage> out;
    for (const auto& frame : port.signaling) {
      auto decoded = decodeClientMessage(frame);
      if (!decoded) {
        ADD_FAILURE() << "client sent an invalid frame: " << frame;
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
  void fromPeer(const PeerId& peer, const PeerMessage& message) { client.onLinkFrame(peer, encode(message)); }
  void signalFrom(const PeerId& peer, SignalPayload data) { fromServer(SignalIn{peer, std::move(data)}); }

  // Every frame the client sent on the link to `peer` (its reliable channel), decoded, batches
  // taken apart.
  std::vector<PeerMessage> sentToPeer(const PeerId& peer) const { return decoded(port.linkFrames, peer); }
  // The same on the link's unreliable channel.
  std::vector<PeerMessage> sentUnreliableToPeer(const PeerId& peer) const {
    return decoded(port.unreliableFrames, peer);
  }
  // The app messages (not acks or pongs) sent to `peer`, in order.
  std::vector<AppMessage> messagesTo(const PeerId& peer) const { return framesOf<AppMessage>(sentToPeer(peer)); }
  std::vector<std::uint64_t> acksTo(const PeerId& peer) const {
    std::vector<std::uint64_t> out;
    for (const auto& ack : framesOf<Ack>(sentToPeer(peer))) out.push_back(ack.seq);
    return out;
  }

  // ---- the relay ----
  // `peer` sends us `frames` through the server.
  void fromRelay(const PeerId& peer, const std::vector<PeerMessage>& frames) {
    fromServer(RelayIn{peer, ++relaySeq_, false, batchOf(frames)});
  }
  // Every relay frame the client sent to the server.
  std::vector<RelayOut> relayFrames() const {
    std::vector<RelayOut> out;
    for (const auto& m : sentToServer()) {
      if (const auto* r = std::get_if<RelayOut>(&m)) out.push_back(*r);
    }
    return out;
  }
  // Every peer frame the client sent to `peer` through the relay, in order.
  std::vector<PeerMessage> relayedTo(const PeerId& peer) const {
    std::vector<PeerMessage> out;
    for (const auto& frame : relayFrames()) {
      for (const auto& part : frame.parts) {
        if (part.to != peer) continue;
        auto decoded = decodeBatch(part.data);
        if (!decoded) {
          ADD_FAILURE() << "client relayed an invalid batch: " << part.data << " (" << decoded.error().message << ")";
          continue;
        }
        for (auto& f : decoded.value()) out.push_back(std::move(f));
      }
    }
    return out;
  }
  std::vector<AppMessage> messagesRelayedTo(const PeerId& peer) const {
    return framesOf<AppMessage>(relayedTo(peer));
  }

  // ---- the clock ----
  void advance(double ms) {
    port.advance(ms, [this](TimerId id) { client.onTimer(id); });
  }
  // Advances like advance(), in small steps, with `alive` answering every ping on their direct
  // links as a live page does (a silent link counts as failed after linkSilenceTimeoutMs).
  void advanceAlive(double ms, const std::vector<PeerId>& alive) {
    for (double done = 0; done < ms;) {
      double step = std::min(100.0, ms - done);
      advance(step);
      done += step;
      for (; answered_ < port.linkFrames.size(); ++answered_) {
        const auto& f = port.linkFrames[answered_];
        if (std::find(alive.begin(), alive.end(), f.peer) == alive.end()) continue;
        auto decoded = decodeLinkMessage(f.frame);
        if (!decoded) continue;
        PeerId peer = f.peer;  // (the answer may grow linkFrames)
        for (const auto& m : decoded.value()) {
          if (const auto* ping = std::get_if<LinkPing>(&m)) fromPeer(peer, LinkPong{ping->ts});
        }
      }
    }
  }
  std::optional<Transport> transportOf(const PeerId& peer) const {
    auto v = viewOf(peer);
    return v ? std::optional<Transport>(v->transport) : std::nullopt;
  }

  // `peer` as peers() reports it; nullopt when not a member.
  std::optional<Peer> viewOf(const PeerId& peer) const {
    for (const auto& v : client.peers()) {
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

  RateLimits rate = kPacedRate;  // what welcome() announces
  std::uint64_t roomIdleMs = 0;  // what welcome() announces: rooms never expire
  FakePort port;
  RecordingObserver observer;
  Client client;  // declared last: it talks to port and observer until it is destroyed

 private:
  static std::vector<PeerMessage> decoded(const std::vector<FakePort::LinkFrame>& frames, const PeerId& peer) {
    std::vector<PeerMessage> out;
    for (const auto& f : frames) {
      if (f.peer != peer) continue;
      auto d = decodeLinkMessage(f.frame);
      if (!d) {
        ADD_FAILURE() << "client sent an invalid link message: " << f.frame;
        continue;
      }
      for (auto& m : d.value()) out.push_back(std::move(m));
    }
    return out;
  }

  std::uint64_t relaySeq_ = 0;
  std::size_t answered_ = 0;  // port.linkFrames looked at by advanceAlive
};

}  // namespace huddle::testing
