// What the generator says to each server, and how it reads the answers.
//
// huddle (docs/protocol.md): hello -> welcome{id}; the room's first member sends create and gets
// room_joined{code}; the others join with that code. Messages are relay frames with `to` (directed)
// or without (broadcast), a 10-digit seq and a JSON string as data.
// ws (bench/ws_relay.mjs): join{room} -> joined{id}; signal{to, data} and broadcast{data}.
//
// Setup answers are parsed with nlohmann/json (not timed). Deliveries are not parsed at all: the
// data string starts with a stamp, "@@" + 16 hex digits of the send time + 6 hex digits of the
// sender's index, and '@' appears nowhere else in either server's frames (ids and codes are
// alphanumeric), so one memchr finds it wherever the server put the data field.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "options.hpp"

namespace loadgen {

// Client -> server setup frames.
std::string helloFrame();                                                   // huddle
std::string createFrame(std::string_view name, int maxMembers);            // huddle
std::string joinFrame(std::string_view code, std::string_view name);       // huddle
std::string wsJoinFrame(std::string_view room);                            // ws

// A setup answer, read loosely: only what the generator needs.
struct SetupReply {
  enum class Kind { Welcome, RoomJoined, Joined, Error, Other } kind = Kind::Other;
  std::string id;    // Welcome/Joined: the peer id as a JSON token ("\"ABC\"" or 17), ready for "to":
  std::string code;  // RoomJoined: the room code; Error: the error code
  std::string text;  // Error: the message
};
SetupReply parseSetupReply(Protocol protocol, std::string_view frame);

// A relay message's text and where its variable digits go (positions in the text).
struct RelayText {
  std::string text;
  std::size_t tsPos = 0;
  std::size_t seqPos = std::string::npos;
};
// `toToken` is the target's JSON id token, ignored for broadcast; `sender` the sender's index in
// its worker (at most 2^24 - 1); `payloadBytes` the size of the data string, quotes included.
RelayText relayText(Protocol protocol, Mode mode, std::string_view toToken, std::uint32_t sender, int payloadBytes);

// Finds the stamp in a delivered frame. False when the frame carries none.
bool findStamp(std::string_view frame, std::uint64_t& sentNs, std::uint32_t& sender);

// For a frame without a stamp: the error code if it is an error frame, else empty.
std::string_view errorCode(std::string_view frame);

}  // namespace loadgen
