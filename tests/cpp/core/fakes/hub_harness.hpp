// Drives a huddle::Hub the way huddle-server does, and reads what it sends back with the
// client's own decoder (so every frame the hub emits is also checked to be valid protocol).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "fakes/fake_random.hpp"
#include "fakes/printers.hpp"
#include "huddle/codec.hpp"
#include "huddle/hub.hpp"

namespace huddle::testing {

// Every frame sent to `conn`, decoded, in order.
inline std::vector<ServerMessage> framesTo(const std::vector<Outgoing>& out, ConnId conn) {
  std::vector<ServerMessage> frames;
  for (const auto& o : out) {
    if (o.to != conn) continue;
    auto decoded = decodeServerMessage(o.frame);
    if (!decoded) {
      ADD_FAILURE() << "hub sent an invalid frame: " << o.frame << " (" << decoded.error().message << ")";
      continue;
    }
    frames.push_back(std::move(decoded).value());
  }
  return frames;
}

// The one frame sent to `conn`, which must be a T.
template <typename T>
T onlyFrame(const std::vector<Outgoing>& out, ConnId conn) {
  auto frames = framesTo(out, conn);
  if (frames.size() != 1 || !std::holds_alternative<T>(frames[0])) {
    std::string all;
    for (const auto& o : out) all += "\n  to " + std::to_string(o.to) + ": " + std::string(o.frame.view());
    ADD_FAILURE() << "expected exactly one frame of the asked type to conn " << conn << "; got:" << all;
    return T{};
  }
  return std::get<T>(frames[0]);
}

inline std::vector<ConnId> recipients(const std::vector<Outgoing>& out) {
  std::vector<ConnId> to;
  for (const auto& o : out) to.push_back(o.to);
  return to;
}

class HubHarness {
 public:
  explicit HubHarness(HubConfig config = {}, RandomSource random = seededRandom(1))
      : hub(std::move(config), std::move(random), [this] { return now; }) {}

  std::vector<Outgoing> send(ConnId conn, std::string_view text) { return hub.receive(conn, text); }
  std::vector<Outgoing> send(ConnId conn, const ClientMessage& message) { return hub.receive(conn, encode(message)); }

  // Connects and says hello; returns the peer id from welcome.
  PeerId greet(ConnId conn) {
    hub.connect(conn);
    return onlyFrame<Welcome>(send(conn, Hello{limits::kProtocolVersion, "", "", false}), conn).id;
  }
  // Connects from `address` (see Hub::connect) and says hello; returns the welcome.
  Welcome greetFrom(ConnId conn, const std::string& address) {
    hub.connect(conn, address);
    return onlyFrame<Welcome>(send(conn, Hello{limits::kProtocolVersion, "", "", false}), conn);
  }
  // Creates a room from a greeted connection; returns its code.
  std::string create(ConnId conn, const std::string& name, int maxMembers = 0) {
    return onlyFrame<RoomJoined>(send(conn, Create{name, maxMembers}), conn).code;
  }
  // Joins from a greeted connection; returns every frame the join caused.
  std::vector<Outgoing> join(ConnId conn, const std::string& code, const std::string& name) {
    auto out = send(conn, Join{code, name});
    onlyFrame<RoomJoined>(out, conn);
    return out;
  }
  // The error frame a refused frame produced: exactly one frame, to the sender.
  ErrorFrame refused(ConnId conn, std::string_view text) {
    auto out = send(conn, text);
    EXPECT_EQ(recipients(out), std::vector<ConnId>{conn}) << text;
    return onlyFrame<ErrorFrame>(out, conn);
  }
  ErrorFrame refused(ConnId conn, const ClientMessage& message) { return refused(conn, encode(message)); }

  double now = 0;  // the hub's clock, ms; tests move it by hand
  Hub hub;
};

// Ann (conn 1), Bob (2) and Cy (3) share a room, joined in that order. No grace period: a dropped
// connection leaves at once (hub_away_test.cpp covers the grace period).
class HubThreeMembers : public ::testing::Test {
 protected:
  static HubConfig noGrace() {
    HubConfig config;
    config.memberGraceMs = 0;
    return config;
  }
  void SetUp() override {
    ann = h.greet(1);
    bob = h.greet(2);
    cy = h.greet(3);
    code = h.create(1, "Ann");
    h.join(2, code, "Bob");
    h.join(3, code, "Cy");
  }
  HubHarness h{noGrace()};
  PeerId ann, bob, cy;
  std::string code;
};

}  // namespace huddle::testing
