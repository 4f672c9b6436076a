// Two real Clients wired to each other through a simulated network: direct links that open,
// fail and get remade (frames in flight die with them), a relay that delays and sometimes loses
// frames (a refused part), and both members sending all along. Every message must arrive exactly
// once and in order, whichever way it went. Seeds are fixed, so a failure replays.
#include <deque>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"

namespace huddle {
namespace {

using nlohmann::json;
using testing::ClientHarness;

constexpr const char* kAnn = "ANN0000001";  // older: Bob offers to her
constexpr const char* kBob = "BOB0000002";

struct Side {
  explicit Side(PeerId id_) : id(std::move(id_)), h(config()) {}
  static ClientConfig config() {
    ClientConfig c;
    c.linkRetryInitialMs = 1000;  // more link changes per simulated minute
    c.linkRetryMaxMs = 4000;
    return c;
  }
  PeerId id;
  ClientHarness h;
  std::size_t signalingRead = 0;
  std::size_t linkRead = 0;
  std::size_t linkCallsSeen = 0;
  std::size_t opensSeen = 0;
  bool pcOpen = false;        // its latest openLink has not been closed
  bool negotiated = false;    // and the offer/answer reached it
  bool linkUp = false;        // onLinkOpen was delivered and nothing failed since
  int sent = 0;
  std::vector<int> received;  // what the other side's messages carried, in delivery order
};

class PathsChaos {
 public:
  explicit PathsChaos(unsigned seed) : rng_(seed), ann_(kAnn), bob_(kBob) {
    std::vector<PeerInfo> members{{kAnn, "Ann", 1}, {kBob, "Bob", 2}};
    ann_.h.enterRoom(kAnn, members);
    bob_.h.enterRoom(kBob, members);
  }

  // `directAtTheEnd` false: the calm phase has no direct link (ICE fails for good), so whatever
  // the relay lost must be recovered through the relay.
  void run(int steps, bool directAtTheEnd) {
    for (int i = 0; i < steps; ++i) step(/*calm=*/false);
    // Calm: no more losses; everything must get through.
    directBlocked_ = !directAtTheEnd;
    if (directBlocked_) breakLink();
    for (int i = 0; i < 3000; ++i) step(/*calm=*/true);
  }

  void check() {
    for (Side* s : {&ann_, &bob_}) {
      Side& other = s == &ann_ ? bob_ : ann_;
      std::vector<int> expected;
      for (int n = 1; n <= other.sent; ++n) expected.push_back(n);
      EXPECT_EQ(s->received, expected) << s->id << " received from " << other.id;
      for (const auto& e : s->h.observer.errors) {
        ADD_FAILURE() << s->id << ": " << errorCodeName(e.code) << ": " << e.message;
      }
    }
  }

  int linkChanges() const { return linkChanges_; }
  int relayLosses() const { return relayLosses_; }

 private:
  double chance() { return std::uniform_real_distribution<double>(0, 1)(rng_); }

  void step(bool calm) {
    for (Side* s : {&ann_, &bob_}) {
      if (!calm && chance() < 0.3) send(*s);
      collect(*s);
    }
    if (!calm && chance() < 0.01) breakLink();
    maybeOpen();
    deliver(relayToAnn_, ann_, calm);
    deliver(relayToBob_, bob_, calm);
    deliverDirect(directToAnn_, ann_);
    deliverDirect(directToBob_, bob_);
    double ms = std::uniform_real_distribution<double>(1, 60)(rng_);
    ann_.h.advance(ms);
    bob_.h.advance(ms);
    for (Side* s : {&ann_, &bob_}) record(*s);
  }

  void send(Side& s) {
    auto sent = s.h.client.send(std::to_string(s.sent + 1));
    if (sent.ok()) ++s.sent;  // a full queue refuses: nothing was sent, nothing is expected
  }

  Side& other(Side& s) { return &s == &ann_ ? bob_ : ann_; }

  // Picks up what a side did: signaling frames and relay parts go to the server (here: straight
  // across, in order), link frames onto the wire while its link is up; peer connections open and
  // close, and the "browser" makes offers and answers.
  void collect(Side& s) {
    Side& to = other(s);
    auto& relayQueue = &to == &ann_ ? relayToAnn_ : relayToBob_;
    for (; s.signalingRead < s.h.port.signaling.size(); ++s.signalingRead) {
      auto decoded = decodeClientMessage(s.h.port.signaling[s.signalingRead]);
      ASSERT_TRUE(decoded.ok());
      if (const auto* signal = std::get_if<SignalOut>(&decoded.value())) {
        relayQueue.push_back(encode(SignalIn{s.id, signal->data}));
      } else if (const auto* relay = std::get_if<RelayOut>(&decoded.value())) {
        for (const auto& part : relay->parts) relayQueue.push_back(encode(RelayIn{s.id, relay->seq, false, part.data}));
      }
    }
    auto& wire = &to == &ann_ ? directToAnn_ : directToBob_;
    for (; s.linkRead < s.h.port.linkFrames.size(); ++s.linkRead) {
      if (s.linkUp && to.linkUp) wire.push_back(s.h.port.linkFrames[s.linkRead].frame);
    }
    using Call = testing::FakePort::LinkCall;
    for (; s.linkCallsSeen < s.h.port.linkCalls.size(); ++s.linkCallsSeen) {
      auto call = s.h.port.linkCalls[s.linkCallsSeen];
      switch (call.kind) {
        case Call::Close:
          if (s.pcOpen) dropLink(s);
          break;
        case Call::Open:
          s.pcOpen = true;
          s.negotiated = false;
          s.linkUp = false;
          if (s.h.port.openLinks[s.opensSeen++].offerer) {
            s.h.client.onLocalDescription(to.id, SignalKind::Offer, "offer from " + s.id);
          }
          break;
        case Call::RemoteOffer:
          s.negotiated = s.pcOpen;
          s.h.client.onLocalDescription(to.id, SignalKind::Answer, "answer from " + s.id);
          break;
        case Call::RemoteAnswer:
          s.negotiated = s.pcOpen;
          break;
      }
    }
  }

  // `s` closed its peer connection: the other side's channel closes too.
  void dropLink(Side& s) {
    bool wasUp = s.linkUp;
    s.pcOpen = false;
    s.negotiated = false;
    s.linkUp = false;
    (&s == &ann_ ? directToAnn_ : directToBob_).clear();  // frames in flight die with the link
    (&s == &ann_ ? directToBob_ : directToAnn_).clear();
    Side& o = other(s);
    if (o.linkUp) {
      o.linkUp = false;
      o.pcOpen = false;
      o.h.client.onLinkClosed(s.id);
    }
    if (wasUp) ++linkChanges_;
  }

  void breakLink() {
    if (!ann_.linkUp && !bob_.linkUp) return;
    directToAnn_.clear();
    directToBob_.clear();
    for (Side* s : {&ann_, &bob_}) {
      bool wasUp = s->linkUp;
      s->linkUp = false;
      s->pcOpen = false;
      if (wasUp) s->h.client.onLinkFailed(other(*s).id, "ICE failed (simulated)");
    }
    ++linkChanges_;
  }

  void maybeOpen() {
    if (directBlocked_) return;
    if (!ann_.pcOpen || !bob_.pcOpen || !ann_.negotiated || !bob_.negotiated) return;
    if (ann_.linkUp && bob_.linkUp) return;
    if (chance() > 0.2) return;
    ann_.linkUp = bob_.linkUp = true;
    ann_.h.client.onLinkOpen(kBob);
    bob_.h.client.onLinkOpen(kAnn);
  }

  void deliver(std::deque<std::string>& queue, Side& to, bool calm) {
    while (!queue.empty() && chance() < 0.7) {
      std::string frame = std::move(queue.front());
      queue.pop_front();
      bool isRelay = frame.find("\"t\":\"relay\"") != std::string::npos;
      if (!calm && isRelay && chance() < 0.05) {
        ++relayLosses_;  // the server refused it (as when a member was briefly away)
        continue;
      }
      to.h.client.onSignalingFrame(frame);
    }
  }

  void deliverDirect(std::deque<std::string>& wire, Side& to) {
    while (!wire.empty() && to.linkUp && chance() < 0.8) {
      std::string frame = std::move(wire.front());
      wire.pop_front();
      to.h.client.onLinkFrame(other(to).id, frame);
    }
  }

  void record(Side& s) {
    for (; recorded_[&s] < s.h.observer.messages.size(); ++recorded_[&s]) {
      const auto& m = s.h.observer.messages[recorded_[&s]];
      s.received.push_back(m.data.get<int>());
    }
  }

  std::mt19937 rng_;
  Side ann_;
  Side bob_;
  std::deque<std::string> relayToAnn_, relayToBob_;    // through the server, in order
  std::deque<std::string> directToAnn_, directToBob_;  // on the current link
  std::map<Side*, std::size_t> recorded_;
  bool directBlocked_ = false;
  int linkChanges_ = 0;
  int relayLosses_ = 0;
};

TEST(ClientPathsChaos, EveryMessageArrivesExactlyOnceInOrderAcrossDirectAndRelayChanges) {
  int totalChanges = 0;
  int totalLosses = 0;
  for (unsigned seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    PathsChaos chaos(seed);
    chaos.run(4000, /*directAtTheEnd=*/seed % 2 == 0);
    chaos.check();
    totalChanges += chaos.linkChanges();
    totalLosses += chaos.relayLosses();
  }
  // The runs did exercise what they are about.
  EXPECT_GT(totalChanges, 50);
  EXPECT_GT(totalLosses, 20);
}

}  // namespace
}  // namespace huddle
