#include "huddle/message.hpp"

namespace huddle {

std::string_view signalKindName(SignalKind kind) {
  switch (kind) {
    case SignalKind::Offer: return "offer";
    case SignalKind::Answer: return "answer";
    case SignalKind::IceCandidate: return "ice_candidate";
  }
  return "offer";
}

std::string_view leaveReasonName(LeaveReason reason) {
  switch (reason) {
    case LeaveReason::Left: return "left";
    case LeaveReason::Disconnected: return "disconnected";
    case LeaveReason::TimedOut: return "timed_out";
  }
  return "left";
}

std::string_view transportName(Transport transport) {
  switch (transport) {
    case Transport::None: return "none";
    case Transport::Direct: return "direct";
    case Transport::Relay: return "relay";
  }
  return "none";
}

}  // namespace huddle
