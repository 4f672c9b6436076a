// The Hub's side of the stats frame (docs/protocol.md "Client stats"): members tell how their
// paths to each other settled, which the server cannot see for direct links, and the Hub folds it
// into HubStats for /metrics. One report per room entry: a client sends one, and a connection
// that sends more is not counted twice.
#include "huddle/hub.hpp"

namespace huddle {

void Hub::onStats(ConnId conn, Connection& c, const Stats& m, std::vector<Outgoing>& out) {
  if (c.room.empty()) return reject(conn, ErrorCode::NotInRoom, "join a room before reporting stats", "stats", out);
  if (c.statsReported) {
    return reject(conn, ErrorCode::BadFrame, "stats were already reported for this room", "stats", out);
  }
  c.statsReported = true;
  ++stats_.statsReports;
  for (const LinkStats& link : m.links) {
    ++stats_.reportedPaths[static_cast<std::size_t>(link.transport)];
    if (link.transport == Transport::None) continue;
    std::size_t i = link.transport == Transport::Direct ? 0 : 1;
    stats_.pathSettleSeconds[i].observe(link.settleMs / 1000);
    if (link.rttMs >= 0) stats_.pathRttSeconds[i].observe(link.rttMs / 1000);
  }
}

}  // namespace huddle
