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

  struct Pending {
    long handle;           // from emscripten_set_timeout
    std::uintptr_t slot;   // its user data, a key into the slot table
  };

  Fire fire_;
  std::uint64_t nextId_ = 1;
  std::map<std::uint64_t, Pending> pending_;
};

}  // namespace huddle::wasm
