// One-shot timers on the browser's setTimeout, delivering to a callback by id.
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

 private:
  static void onTimeout(void* userData);

  Fire fire_;
  std::uint64_t nextId_ = 1;
  std::map<std::uint64_t, long> pending_;  // our id -> setTimeout handle
};

}  // namespace huddle::wasm
