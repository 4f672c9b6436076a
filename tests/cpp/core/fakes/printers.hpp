// GoogleTest printers so failures show wire names ("room_not_found") instead of enum numbers.
#pragma once

#include <ostream>

#include "huddle/client.hpp"
#include "huddle/error.hpp"
#include "huddle/message.hpp"

namespace huddle {

inline void PrintTo(ErrorCode code, std::ostream* os) { *os << errorCodeName(code); }
inline void PrintTo(SessionStatus status, std::ostream* os) { *os << sessionStatusName(status); }
inline void PrintTo(LinkState state, std::ostream* os) { *os << linkStateName(state); }
inline void PrintTo(SignalKind kind, std::ostream* os) { *os << signalKindName(kind); }
inline void PrintTo(LeaveReason reason, std::ostream* os) { *os << leaveReasonName(reason); }
inline void PrintTo(const PeerInfo& p, std::ostream* os) {
  *os << p.id << " \"" << p.name << "\" #" << p.joinOrder;
}
inline void PrintTo(const Error& e, std::ostream* os) { *os << errorCodeName(e.code) << ": " << e.message; }

}  // namespace huddle
