#include "client/peer_path.hpp"

#include "client/timers.hpp"

namespace huddle::client {

void PeerPath::cancelTimers(Timers& timers) {
  for (TimerId* t : {&link.openTimer, &link.retryTimer, &graceTimer, &pingTimer, &resendTimer, &linkOut.ackTimer,
                    &linkOut.turnTimer, &linkOut.burstTimer}) timers.cancel(*t);
}

double smoothRtt(double smoothed, double sample) {
  return smoothed < 0 ? sample : smoothed * 7 / 8 + sample / 8;
}

}  // namespace huddle::client
