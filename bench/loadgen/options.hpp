// The generator's command line: what to connect to, which workload, how long.
#pragma once

#include <string>
#include <vector>

namespace loadgen {

// huddle: huddle-server's signaling protocol at /ws (docs/protocol.md). ws: the bare Node relay
// (bench/ws_relay.mjs) that huddle-server is compared with.
enum class Protocol { Huddle, Ws };
// directed: each message goes to one other member (round robin over the room); broadcast: to all.
enum class Mode { Directed, Broadcast };

struct Options {
  Protocol protocol = Protocol::Huddle;
  Mode mode = Mode::Directed;
  std::string host = "127.0.0.1";
  // One server, or several sharing rooms through Redis (docs/cluster.md): a room's member in slot
  // s connects to ports[s % n], so its creator (slot 0) and the room are on the first.
  std::vector<int> ports;
  std::string path;  // empty: /ws for huddle, / for ws
  int clients = 600;
  int roomSize = 6;
  int payloadBytes = 214;   // the data value as sent: a JSON string of this many bytes, quotes included
  double rate = 5000;       // messages/s over all clients, evenly spread; 0: saturation (see window)
  int window = 8;           // rate 0: messages in flight per client (sent, not yet delivered)
  double duration = 10;     // measured seconds
  double warmup = 2;        // seconds of traffic before the measured window
  int idle = 0;             // > 0: connect this many clients, hold them `duration` s, no traffic
  std::vector<int> serverPids;  // read each one's CPU time and RSS from /proc; figures are their sums
  int redisPid = 0;             // > 0: the redis-server the servers share, read apart from them
  // With several ports, the port of the Redis they share (on --host): members on another port than
  // the creator's join once the room is stored there (room_watch.hpp).
  int redisPort = 0;
  int ioThreads = 1;        // 1 or 2 io_contexts, each owning whole rooms
  int connectConcurrency = 256;  // connections being opened at once
  double setupTimeout = 120;     // seconds for every client to be connected and in its room
  double tickMs = 1;             // pacing granularity
  std::string label;             // copied into the JSON line
};

// Parses `--name value` / `--name=value`. On error returns false with `error` set; `--help`
// returns false with `error` empty (the caller prints helpText()).
bool parseOptions(const std::vector<std::string>& args, Options& options, std::string& error);

std::string helpText();

}  // namespace loadgen
