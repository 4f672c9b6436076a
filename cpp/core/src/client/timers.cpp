#include "client/timers.hpp"

#include <utility>

namespace huddle::client {

TimerId Timers::start(double delayMs, std::function<void()> fire) {
  TimerId id = port_.startTimer(delayMs);
  pending_.emplace(id, std::move(fire));
  return id;
}

void Timers::cancel(TimerId& id) {
  if (!id) return;
  port_.cancelTimer(id);
  pending_.erase(id);
  id = 0;
}

void Timers::fire(TimerId id) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  auto fire = std::move(it->second);
  pending_.erase(it);
  fire();
}

void Timers::clear() {
  for (auto& [id, fire] : pending_) port_.cancelTimer(id);
  pending_.clear();
}

}  // namespace huddle::client
