// A client's one-shot timers on its platform's clock. Each timer carries what to do when it
// fires, so nothing else needs to know what a TimerId was for.
#pragma once

#include <functional>
#include <map>

#include "huddle/client_port.hpp"

namespace huddle::client {

class Timers {
 public:
  explicit Timers(ClientPort& port) : port_(port) {}
  ~Timers() { clear(); }
  Timers(const Timers&) = delete;
  Timers& operator=(const Timers&) = delete;

  // Runs `fire` after `delayMs` (through Client::onTimer). Ids are never 0.
  TimerId start(double delayMs, std::function<void()> fire);
  // Cancels `id` if it is pending and sets it to 0 (0: no timer; nothing to do).
  void cancel(TimerId& id);
  // The platform says `id` is due: forgets it, then runs it. Unknown ids (cancelled ones the
  // platform fired anyway) do nothing.
  void fire(TimerId id);
  // Cancels every pending timer.
  void clear();

 private:
  ClientPort& port_;
  std::map<TimerId, std::function<void()>> pending_;
};

}  // namespace huddle::client
