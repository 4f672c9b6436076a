// How a Client is configured: the tuning knobs (one table, below) and who it is.
//
// HUDDLE_CLIENT_KNOBS is the only list of knobs. From it come the ClientConfig fields here, the
// options the Wasm client reads (cpp/wasm/wasm_options.cpp), the TypeScript `ClientTuning` type
// and the table of defaults in docs/protocol.md (both written by huddle-codegen at build time).
#pragma once

#include <cstddef>
#include <string>

#include "huddle/limits.hpp"
#include "huddle/message.hpp"

namespace huddle {

// KNOB(name, type, default, what it means). Times are ms. Types are double or int.
#define HUDDLE_CLIENT_KNOBS(KNOB)                                                                     \
  KNOB(linkOpenTimeoutMs, double, 5000,                                                               \
       "How long a direct link may take to open before messages to that member go through the "      \
       "server relay.")                                                                               \
  KNOB(linkPingIntervalMs, double, 2000, "How often the path to each member measures its round-trip time.") \
  KNOB(linkSilenceTimeoutMs, double, 6000,                                                            \
       "An open link whose pings go unanswered (and nothing else is heard) this long counts as "     \
       "failed; ICE itself can take 30 s to notice a dead path.")                                      \
  KNOB(linkRetryInitialMs, double, 5000,                                                              \
       "After a link failed, the member that offers tries a new one after this, doubling up to "     \
       "linkRetryMaxMs, while the relay carries the traffic.")                                        \
  KNOB(linkRetryMaxMs, double, 60000, "The longest wait between two attempts at a direct link.")      \
  KNOB(ackDelayMs, double, 5,                                                                         \
       "An ack with nothing else to carry it waits this long for a reply to ride along, instead of " \
       "spending a relay frame or a link message of its own.")                                        \
  KNOB(relayResendMs, double, 3000,                                                                   \
       "Messages sent through the relay and not acknowledged within this are sent again.")            \
  KNOB(reconnectInitialMs, double, 250,                                                               \
       "After the connection to the server drops, the first retry waits about this long (with "      \
       "jitter), doubling up to reconnectMaxMs.")                                                     \
  KNOB(reconnectMaxMs, double, 8000, "The longest wait between two reconnect attempts.")              \
  KNOB(reconnectAttempts, int, 30, "Reconnect attempts before giving up with server_unreachable.")    \
  KNOB(memberGraceMs, double, 30000,                                                                  \
       "How long a member missing from the room after our reconnect stays listed (away, its link "   \
       "and queues kept) before it counts as gone.")

struct ClientConfig {
#define HUDDLE_KNOB_FIELD(name, type, value, doc) type name = value;
  HUDDLE_CLIENT_KNOBS(HUDDLE_KNOB_FIELD)
#undef HUDDLE_KNOB_FIELD
  // Reliable messages kept per member until acknowledged (not a knob: tests lower it).
  std::size_t maxUnackedPerPeer = limits::kMaxUnackedPerPeer;
  // The peer id to ask the server for ("": let it pick one), and the resume token it had (a
  // reloaded page resuming its place: "" for none).
  PeerId peerId;
  std::string resumeToken;
  // A signed join token from the embedding site (docs/tokens.md), sent in every hello: it names
  // our peer id and takes that id's place over from whoever holds it ("" : none).
  std::string joinToken;
  // Send the server one stats frame per room entered: how the paths to the members found there
  // settled (transport, time, round trip; no ids). docs/protocol.md "Client stats".
  bool reportStats = true;
};

// How long the n-th reconnect attempt (n >= 1) waits: min(max, initial * 2^(n-1)) scaled by
// 0.5 + random/2, with `random` uniform in [0, 1).
double reconnectDelayMs(const ClientConfig& config, int attempt, double random);

}  // namespace huddle
