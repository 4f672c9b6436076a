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
  int port = 0;
  std::string path;  // empty: /ws for huddle, / for ws
  int clients = 600;
  int roomSize = 6;
  int payloadBytes = 214;   // the data value as sent: a JSON string of this many bytes, quotes included
  double rate = 5000;       // messages/s over all clients, evenly spread; 0: saturation (see window)
  int window = 8;           // rate 0: messages in flight per client (sent, not yet delivered)
  double duration = 10;     // measured seconds
  double warmup = 2;        // seconds of traffic before the measured window
  int idle = 0;             // > 0: connect this many clients, hold them `duration` s, no traffic
  int serverPid = 0;        // > 0: read the server's CPU time and RSS from /proc
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
