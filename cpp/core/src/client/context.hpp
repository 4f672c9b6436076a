// What every part of a client shares: its configuration, platform and observer, its timers, the
// roster, a path to every other member, and where the session stands. Session owns it and is the
// only part that changes `status`; Membership, Negotiation, Streams and RelayBatcher each hold a
// reference.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "client/peer_path.hpp"
#include "client/roster.hpp"
#include "client/timers.hpp"
#include "huddle/client_config.hpp"
#include "huddle/client_observer.hpp"
#include "huddle/client_port.hpp"

namespace huddle::client {

struct Context {
  Context(ClientConfig config_, ClientPort& port_, ClientObserver& observer_)
      : config(std::move(config_)), port(port_), observer(observer_), timers(port_) {}

  const ClientConfig config;
  ClientPort& port;
  ClientObserver& observer;
  Timers timers;
  Roster roster;
  std::map<PeerId, std::unique_ptr<PeerPath>> paths;  // every other member's
  SessionStatus status = SessionStatus::Idle;
  // Told when a member has left the room (its path is gone), before the app hears onPeerLeft:
  // Session points it at Requests, so what awaits that member's answer fails at once.
  std::function<void(const PeerId&)> memberLeft;

  // The path to `peer`, or nullptr when it is not (or no longer) a member.
  PeerPath* path(const PeerId& peer) {
    auto it = paths.find(peer);
    return it == paths.end() ? nullptr : it->second.get();
  }
  bool inRoom() const { return status == SessionStatus::InRoom || status == SessionStatus::Reconnecting; }
  // The server would pass a relay part to this member now: not while we are between connections,
  // nor to a member it holds as away or that was missing from the room when we came back.
  bool relayReaches(const PeerPath& p) const { return status == SessionStatus::InRoom && !p.missing(); }
  void log(const std::string& line) { observer.onLog(line); }
  void report(ErrorCode code, std::string message) {
    log(std::string(errorCodeName(code)) + ": " + message);
    observer.onError(Error{code, std::move(message)});
  }
};

}  // namespace huddle::client
