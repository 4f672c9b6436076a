// Real Clients in one relay-only room on a real Hub: every frame a client sends goes to the Hub,
// and every frame the Hub sends goes to its client, with one clock for all. No direct links, so
// every peer frame takes the server relay, paced and batched as in a browser. For tests of what
// members do together (the room state), where playing the other members by hand would test
// only what the test author believed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"
#include "fakes/hub_harness.hpp"

namespace huddle::testing {

class RelayMesh {
 public:
  struct Member {
    ConnId conn = 0;
    std::unique_ptr<ClientHarness> h;
    std::size_t sent = 0;     // port.signaling frames handed to the Hub
    int opens = 0;            // port.openSignalingCalls seen
    int closes = 0;           // port.closeSignalingCalls seen
    bool connected = false;   // the Hub holds a connection for it
    Client& client() { return h->client; }
    RecordingObserver& observer() { return h->observer; }
  };

  explicit RelayMesh(HubConfig config = {}) : hub_(std::move(config)) { hub_.now = kStart; }

  // A new member: creates the room (the first) or joins it; returns its index once it is in.
  std::size_t add(const std::string& name) {
    auto m = std::make_unique<Member>();
    m->conn = nextConn_++;
    m->h = std::make_unique<ClientHarness>();
    m->h->port.setNow(hub_.now);
    members_.push_back(std::move(m));
    Member& me = *members_.back();
    Status asked = code_.empty() ? me.client().createRoom(name, 8, /*relayOnly=*/true)
                                 : me.client().joinRoom(code_, name);
    EXPECT_TRUE(asked.ok());
    for (int i = 0; i < 100 && me.client().status() != SessionStatus::InRoom; ++i) advance(10);
    EXPECT_EQ(me.client().status(), SessionStatus::InRoom) << name << " is not in the room";
    if (code_.empty()) code_ = me.client().roomCode();
    return members_.size() - 1;
  }

  Member& operator[](std::size_t i) { return *members_[i]; }
  std::size_t size() const { return members_.size(); }

  // Drops member `i`'s connection without a goodbye (a killed page): the Hub keeps its place for
  // its grace period. The client is destroyed; nothing of it runs again.
  void kill(std::size_t i) {
    Member& m = *members_[i];
    if (m.connected) deliver(hub_.hub.disconnect(m.conn, LeaveReason::Disconnected));
    m.connected = false;
    m.h.reset();
  }

  // Moves everyone's clock by `ms` in steps of `stepMs`, carrying frames both ways after each.
  void advance(double ms, double stepMs = 5) {
    for (double done = 0; done < ms; done += stepMs) {
      hub_.now += stepMs;
      deliver(hub_.hub.expireAway());
      for (auto& m : members_) {
        if (m->h) m->h->advance(stepMs);
      }
      pump();
    }
  }

  // Carries frames until nothing moves (no time passes).
  void pump() {
    for (bool moved = true; moved;) {
      moved = false;
      for (auto& mp : members_) {
        Member& m = *mp;
        if (!m.h) continue;
        FakePort& port = m.h->port;
        if (port.closeSignalingCalls > m.closes) {
          m.closes = port.closeSignalingCalls;
          if (m.connected) deliver(hub_.hub.disconnect(m.conn, LeaveReason::Left));
          m.connected = false;
          m.sent = port.signaling.size();
          moved = true;
        }
        if (port.openSignalingCalls > m.opens) {
          m.opens = port.openSignalingCalls;
          m.conn = nextConn_++;
          hub_.hub.connect(m.conn, "198.51.100." + std::to_string(m.conn % 250));
          m.connected = true;
          m.sent = port.signaling.size();
          m.client().onSignalingOpen();
          moved = true;
        }
        while (m.connected && m.sent < port.signaling.size()) {
          std::string frame = port.signaling[m.sent++];
          deliver(hub_.send(m.conn, frame));
          moved = true;
        }
      }
    }
  }

  const std::string& code() const { return code_; }
  Hub& hub() { return hub_.hub; }

 private:
  static constexpr double kStart = 1'700'000'000'000.0;  // the FakePort's clock starts here

  void deliver(const std::vector<Outgoing>& out) {
    for (const auto& o : out) {
      for (auto& m : members_) {
        if (m->h && m->connected && m->conn == o.to) m->client().onSignalingFrame(std::string(o.frame.view()));
      }
    }
  }

  HubHarness hub_;
  std::vector<std::unique_ptr<Member>> members_;
  ConnId nextConn_ = 1;
  std::string code_;
};

}  // namespace huddle::testing
