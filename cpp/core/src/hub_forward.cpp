// The Hub's forwarding: signal, relay and ping frames, whichever decoder read them, and what they
// cost the sender's address (hub.cpp has connections, identity and rooms).
#include <cmath>

#include "huddle/hub.hpp"
#include "wire/server_frames.hpp"

namespace huddle {

void Hub::forward(ConnId conn, const Connection& c, const Route& route, std::vector<Outgoing>& out) {
  // Per alternative of Route: the "t" for error refs, and what a frame outside a room is told.
  struct Names {
    const char* ref;
    const char* outsideRoom;
  };
  static constexpr Names kNames[] = {
      {"relay", "join a room before relaying"}, {"signal", "join a room before signaling"}, {"ping", ""}};
  static_assert(std::size(kNames) == std::variant_size_v<Route>);
  const Names& names = kNames[route.index()];
  if (!c.greeted) return reject(conn, ErrorCode::HelloRequired, "send hello first", names.ref, out);
  if (auto* ping = std::get_if<RoutePing>(&route)) {
    // A member's ping says its app is in use (clients send one when theirs has sent anything):
    // what keeps the room from expiring while its traffic goes over direct links.
    if (!c.room.empty()) {
      rooms_.at(c.room).lastActive = clock_();
      noteChanged(c.room);
    }
    out.push_back({conn, wire::pongFrame(ping->id)});
    return;
  }
  if (c.room.empty()) return reject(conn, ErrorCode::NotInRoom, names.outsideRoom, names.ref, out);
  if (auto* s = std::get_if<RouteSignal>(&route)) {
    return sendTo(conn, c, s->to, wire::signalFrame(c.id, s->data), names.ref, stats_.signalsForwarded, out);
  }
  relay(conn, c, std::get<RouteRelay>(route), out);
}

void Hub::relay(ConnId conn, const Connection& c, const RouteRelay& m, std::vector<Outgoing>& out) {
  // Everything this frame would send is made first, and charged to the address as a whole: the
  // bytes the server sends are the cost, however few came in (a broadcast to 7 costs 7 frames).
  const std::size_t firstOut = out.size();
  std::uint64_t messages = 0;
  double bytes = 0;
  auto relayTo = [&](std::string_view to, std::string_view data) {
    auto recipient = otherMember(c, to);
    if (!recipient) {
      return reject(conn, ErrorCode::PeerNotInRoom, "no member " + std::string(to.substr(0, 16)) + " in this room",
                    "relay", out);
    }
    auto frame = fits(conn, wire::relayFrame(c.id, m.seq, false, data), "relay", out);
    if (!frame) return;
    ++messages;
    bytes += static_cast<double>(frame->size());
    out.push_back({*recipient, std::move(*frame)});
  };
  // Each part on its own: one member gone (away, or left a moment ago) does not hold up the rest.
  for (std::size_t i = 0; i < m.partCount; ++i) relayTo(m.parts[i].to, m.parts[i].data);
  if (m.partCount == 0 && !m.to.empty()) relayTo(m.to, m.data);
  if (m.partCount == 0 && m.to.empty()) {
    auto frame = fits(conn, wire::relayFrame(c.id, m.seq, true, m.data), "relay", out);
    if (!frame) return;
    const std::size_t before = out.size();
    broadcast(rooms_.at(c.room), c.id, std::move(*frame), out);
    messages = 1;  // one app message, however many copies
    const std::size_t copies = out.size() - before;
    bytes = copies == 0 ? 0 : static_cast<double>(copies) * static_cast<double>(out.back().frame.size());
  }
  if (bytes > 0 && addresses_.waitMs(c.address, AddressLimit::RelayBytes, bytes, clock_()) > 0) {
    out.resize(firstOut);  // nothing of it goes, and the sender hears only why
    withinLimit(conn, c, AddressLimit::RelayBytes, bytes, "relay", out);
    return;
  }
  addresses_.take(c.address, AddressLimit::RelayBytes, bytes, clock_());
  stats_.relayedMessages += messages;
  stats_.relayedBytes += static_cast<std::uint64_t>(bytes);
}

void Hub::sendTo(ConnId conn, const Connection& c, std::string_view to, SharedFrame frame, const char* ref,
                 std::uint64_t& counter, std::vector<Outgoing>& out) {
  auto recipient = otherMember(c, to);
  if (!recipient) {
    return reject(conn, ErrorCode::PeerNotInRoom, "no member " + std::string(to.substr(0, 16)) + " in this room",
                  ref, out);
  }
  auto fitting = fits(conn, std::move(frame), ref, out);
  if (!fitting) return;
  ++counter;
  out.push_back({*recipient, std::move(*fitting)});
}

std::optional<SharedFrame> Hub::fits(ConnId conn, SharedFrame frame, const char* ref, std::vector<Outgoing>& out) {
  if (frame.size() <= limits::kMaxFrameBytes) return frame;
  reject(conn, ErrorCode::FrameTooLarge,
         "forwarded, this frame would be " + std::to_string(frame.size()) + " bytes; the limit is " +
             std::to_string(limits::kMaxFrameBytes),
         ref, out);
  return std::nullopt;
}

std::optional<ConnId> Hub::otherMember(const Connection& c, std::string_view peer) const {
  if (peer == c.id) return std::nullopt;
  // An away member has no connection to deliver to: to a sender it is as good as absent.
  auto p = peers_.find(peer);
  if (p == peers_.end() || !rooms_.at(c.room).contains(peer)) return std::nullopt;
  return p->second;
}

bool Hub::withinLimit(ConnId conn, const Connection& c, AddressLimit limit, double cost, const char* ref,
                      std::vector<Outgoing>& out) {
  double wait = addresses_.waitMs(c.address, limit, cost, clock_());
  if (wait <= 0) return true;
  ++stats_.refusedByAddressLimit[static_cast<std::size_t>(limit)];
  auto retryMs = static_cast<std::uint64_t>(std::ceil(wait));
  reject(conn, ErrorCode::RateLimited,
         addresses_.describe(limit) + "; this frame was not processed, try again in " + std::to_string(retryMs) + " ms",
         ref, out, static_cast<double>(retryMs));
  return false;
}

}  // namespace huddle
