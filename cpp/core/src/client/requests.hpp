// Requests between members: one member asks another and gets one answer back (docs/protocol.md
// "Requests"). A request and its answer are reliable messages of a kind ("k": "req" / "res") on
// the same stream as the app's messages, so they travel exactly once over whichever path the
// member is reached by, direct or relay. This part keeps what is outstanding: the requests we
// await answers to (each with its timeout) and the requests from others our app has yet to answer.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>

#include "client/context.hpp"
#include "huddle/peer_message.hpp"

namespace huddle::client {

class Streams;

class Requests {
 public:
  Requests(Context& ctx, Streams& streams) : ctx_(ctx), streams_(streams) {}

  // Client::request, respond and refuse (see there).
  Result<std::uint64_t> request(const PeerId& peer, std::string_view data, double timeoutMs);
  Status respond(std::uint64_t id, std::string_view data);
  Status refuse(std::uint64_t id, ErrorCode code, std::string_view message);

  // Streams routes a delivered request / response here (in stream order, exactly once).
  void onRequest(const PeerId& from, const AppMessage& message);
  void onResponse(const PeerId& from, const AppMessage& message);
  // `peer` left the room: what we asked it fails at once (peer_not_in_room), and what it asked
  // us is forgotten (nobody is left to answer).
  void memberLeft(const PeerId& peer);
  // We left the room: every request we await fails (not_in_room).
  void clear();

  std::size_t pending() const { return pending_.size(); }
  std::size_t incoming() const { return incoming_.size(); }

 private:
  struct Pending {
    PeerId peer;
    TimerId timer = 0;
  };
  struct Incoming {
    PeerId from;
    std::uint64_t theirId = 0;  // the request's id on its sender's side
  };
  void fail(std::uint64_t id, ErrorCode code, std::string message);
  // Sends `from` the refusal of its request `theirId`.
  Status sendRefusal(const PeerId& from, std::uint64_t theirId, ErrorCode code, std::string_view message);

  Context& ctx_;
  Streams& streams_;
  std::map<std::uint64_t, Pending> pending_;    // by request id (the request's message id)
  std::map<std::uint64_t, Incoming> incoming_;  // by our own id for it (senders' ids may clash)
  std::uint64_t nextIncomingId_ = 1;
};

}  // namespace huddle::client
