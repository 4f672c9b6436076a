// The stats frame (docs/protocol.md "Client stats"): once per room we enter, how our paths to the
// members we found there settled — direct or relay, how long after we asked to join, and the
// first round trip measured over them. The server cannot see direct links, so this is the only
// way an operator learns how often they form and how fast. Sent once every path has settled and
// measured a round trip (or its member left), or at limits::kStatsDeadlineMs with what there is;
// never with a peer id. Best effort: a report due while the connection is down is dropped.
#pragma once

#include <map>

#include "client/context.hpp"
#include "huddle/message.hpp"

namespace huddle::client {

class LinkReport {
 public:
  explicit LinkReport(Context& ctx) : ctx_(ctx) {}
  ~LinkReport() { ctx_.timers.cancel(deadline_); }
  LinkReport(const LinkReport&) = delete;
  LinkReport& operator=(const LinkReport&) = delete;

  // We asked to create or join a room: settle times count from now.
  void asked();
  // We are in it, with a path to every member found there (ctx.paths): those are reported on.
  void entered();
  // A path's transport or round-trip time changed, or its member left: the report may be complete.
  void changed(const PeerId& peer);
  // We left the room: nothing more to report.
  void clear();

 private:
  void send();

  Context& ctx_;
  double askedAtMs_ = -1;
  std::map<PeerId, LinkStats> links_;  // until sent
  TimerId deadline_ = 0;
};

}  // namespace huddle::client
