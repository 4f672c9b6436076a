// A ClientPort for benchmarks: it keeps only the last frame sent (signaling or link), counts
// timers without running them, and has a clock the benchmark moves by hand.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "huddle/client.hpp"

namespace huddle::bench {

class BenchPort : public ClientPort {
 public:
  void openSignaling() override {}
  void closeSignaling() override {}
  void sendSignaling(const std::string& frame) override { last = frame; }
  void prepareLink() override {}
  void openLink(const PeerId&, const std::string&, bool) override {}
  void applyRemoteDescription(const PeerId&, SignalKind, const std::string&) override {}
  void addRemoteCandidate(const PeerId&, const IceCandidate&) override {}
  void sendOnLink(const PeerId&, const std::string& frame) override { last = frame; }
  void sendOnLinkUnreliable(const PeerId&, const std::string&) override {}
  void closeLink(const PeerId&) override {}
  TimerId startTimer(double) override { return ++timers; }
  void cancelTimer(TimerId) override {}
  double nowMs() override { return now; }
  double random() override { return 0.5; }
  std::string last;
  TimerId timers = 0;
  double now = 1.7e12;
};

}  // namespace huddle::bench
