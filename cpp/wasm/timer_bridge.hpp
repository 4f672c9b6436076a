// One-shot timers on the browser's setTimeout, delivering to a callback by id. Armed at the end of
// the JavaScript task that starts them, so one cancelled within it costs the browser nothing
// (timer_bridge.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <map>

namespace huddle::wasm {

class TimerBridge {
 public:
  using Fire = std::function<void(std::uint64_t id)>;
  explicit TimerBridge(Fire fire);
  ~TimerBridge();  // cancels every pending timer
  TimerBridge(const TimerBridge&) = delete;
  TimerBridge& operator=(const TimerBridge&) = delete;

  std::uint64_t start(double delayMs);
  void cancel(std::uint64_t id);

  // A timer's slot came due (Module.huddleTimerFired, bound in bindings.cpp).
  static void fired(int slot);

 private:
  Fire fire_;
  std::uint64_t nextId_ = 1;
  std::map<std::uint64_t, unsigned> pending_;  // id -> its slot (timer_bridge.cpp)
};

}  // namespace huddle::wasm
