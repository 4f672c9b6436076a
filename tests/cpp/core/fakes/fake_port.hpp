// A ClientPort that records every call and owns a fake clock with one-shot timers. Nothing
// happens by itself: tests feed the client's platform events and advance the clock by hand.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "huddle/client.hpp"

namespace huddle::testing {

class FakePort : public ClientPort {
 public:
  struct OpenLinkCall {
    PeerId peer;
    std::string iceServers;  // JSON text
    bool offerer = false;
  };
  struct RemoteDescription {
    PeerId peer;
    SignalKind kind = SignalKind::Offer;
    std::string sdp;
  };
  struct RemoteCandidate {
    PeerId peer;
    IceCandidate candidate;
  };
  // openLink, closeLink and applyRemoteDescription calls in the order they came.
  struct LinkCall {
    enum Kind { Open, Close, RemoteOffer, RemoteAnswer } kind;
    PeerId peer;
  };
  struct LinkFrame {
    PeerId peer;
    std::string frame;
  };

  // ---- ClientPort ----
  void openSignaling() override { ++openSignalingCalls; }
  void closeSignaling() override { ++closeSignalingCalls; }
  void sendSignaling(const std::string& frame) override { signaling.push_back(frame); }
  void prepareLink() override { ++prepareLinkCalls; }
  void openLink(const PeerId& peer, const std::string& iceServers, bool offerer) override {
    openLinks.push_back({peer, iceServers, offerer});
    linkCalls.push_back({LinkCall::Open, peer});
  }
  void applyRemoteDescription(const PeerId& peer, SignalKind kind, const std::string& sdp) override {
    remoteDescriptions.push_back({peer, kind, sdp});
    linkCalls.push_back({kind == SignalKind::Offer ? LinkCall::RemoteOffer : LinkCall::RemoteAnswer, peer});
  }
  void addRemoteCandidate(const PeerId& peer, const IceCandidate& candidate) override {
    remoteCandidates.push_back({peer, candidate});
  }
  void sendOnLink(const PeerId& peer, const std::string& frame) override { linkFrames.push_back({peer, frame}); }
  void sendOnLinkUnreliable(const PeerId& peer, const std::string& frame) override {
    unreliableFrames.push_back({peer, frame});
  }
  void closeLink(const PeerId& peer) override {
    closedLinks.push_back(peer);
    linkCalls.push_back({LinkCall::Close, peer});
  }
  TimerId startTimer(double delayMs) override {
    TimerId id = nextTimer_++;
    startedDelays.push_back(delayMs);
    timers_[id] = now_ + std::max(delayMs, 0.0);  // (kEndOfTurn: no microtasks here)
    return id;
  }
  void cancelTimer(TimerId id) override {
    timers_.erase(id);
    cancelledTimers.push_back(id);
  }
  double nowMs() override { return now_; }
  // Deterministic: `randomValues` in turn when a test sets them, else a fixed pseudo-random
  // sequence (distinct values, so every link gets its own stream epoch).
  double random() override {
    if (!randomValues.empty()) return randomValues[randomIndex_++ % randomValues.size()];
    randomState_ = randomState_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(randomState_ >> 11) / 9007199254740992.0;
  }

  // ---- clock ----
  // Moves the clock forward by `ms`, firing each timer that falls due (earliest first, with the
  // clock set to its due time) through `fire`, which normally calls Client::onTimer.
  void advance(double ms, const std::function<void(TimerId)>& fire) {
    double until = now_ + ms;
    for (;;) {
      auto next = std::min_element(timers_.begin(), timers_.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; });
      if (next == timers_.end() || next->second > until) break;
      TimerId id = next->first;
      now_ = next->second;
      timers_.erase(next);
      fire(id);
    }
    now_ = until;
  }
  void setNow(double ms) { now_ = ms; }
  std::size_t pendingTimers() const { return timers_.size(); }

  // ---- what the client did ----
  // Link frames sent to one peer, in order.
  std::vector<std::string> framesTo(const PeerId& peer) const {
    std::vector<std::string> out;
    for (const auto& f : linkFrames) {
      if (f.peer == peer) out.push_back(f.frame);
    }
    return out;
  }
  std::vector<PeerId> openedPeers() const {
    std::vector<PeerId> out;
    for (const auto& call : openLinks) out.push_back(call.peer);
    return out;
  }

  int openSignalingCalls = 0;
  int closeSignalingCalls = 0;
  int prepareLinkCalls = 0;
  std::vector<std::string> signaling;
  std::vector<OpenLinkCall> openLinks;
  std::vector<RemoteDescription> remoteDescriptions;
  std::vector<RemoteCandidate> remoteCandidates;
  std::vector<LinkFrame> linkFrames;
  std::vector<LinkFrame> unreliableFrames;
  std::vector<PeerId> closedLinks;
  std::vector<LinkCall> linkCalls;
  std::vector<TimerId> cancelledTimers;
  std::vector<double> startedDelays;  // every startTimer delay, in order

  std::vector<double> randomValues;

 private:
  double now_ = 1'700'000'000'000.0;  // a plausible wall clock, ms since the epoch
  TimerId nextTimer_ = 1;
  std::size_t randomIndex_ = 0;
  std::uint64_t randomState_ = 42;
  std::map<TimerId, double> timers_;
};

}  // namespace huddle::testing
