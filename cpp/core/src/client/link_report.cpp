#include "client/link_report.hpp"

#include <algorithm>

#include "huddle/codec.hpp"

namespace huddle::client {

void LinkReport::asked() { askedAtMs_ = ctx_.port.nowMs(); }

void LinkReport::entered() {
  clear();
  // Alone in the room: nothing to report. The members who join later report on their paths to
  // us, so every path is described once, by the newer member of the pair.
  if (!ctx_.config.reportStats || askedAtMs_ < 0 || ctx_.paths.empty()) return;
  for (const auto& [peer, path] : ctx_.paths) links_[peer] = LinkStats{};
  deadline_ = ctx_.timers.start(limits::kStatsDeadlineMs, [this] {
    deadline_ = 0;
    send();
  });
  // A relay-only room's paths are settled already.
  for (const auto& [peer, path] : ctx_.paths) changed(peer);
}

void LinkReport::changed(const PeerId& peer) {
  auto it = links_.find(peer);
  if (it == links_.end()) return;
  LinkStats& link = it->second;
  const PeerPath* path = ctx_.path(peer);
  if (!path && link.transport == Transport::None) {
    links_.erase(it);  // left before a path to it settled: that says nothing about paths
  } else if (path) {
    Transport now = path->transport();
    // The first transport is what the member got; a link that opens after the relay took over
    // does not change how this path settled.
    if (link.transport == Transport::None && now != Transport::None) {
      link.transport = now;
      link.settleMs = std::max(0.0, ctx_.port.nowMs() - askedAtMs_);
    }
    if (link.transport == now && link.rttMs < 0 && path->rttMs >= 0) link.rttMs = path->rttMs;
  }
  bool complete = !links_.empty() && std::all_of(links_.begin(), links_.end(), [&](const auto& entry) {
    return entry.second.rttMs >= 0 || !ctx_.path(entry.first);
  });
  if (complete) send();
}

void LinkReport::clear() {
  links_.clear();
  ctx_.timers.cancel(deadline_);
}

void LinkReport::send() {
  Stats stats;
  for (const auto& [peer, link] : links_) stats.links.push_back(link);
  clear();
  if (stats.links.empty() || ctx_.status != SessionStatus::InRoom) return;
  ctx_.port.sendSignaling(encode(ClientMessage{std::move(stats)}));
}

}  // namespace huddle::client
