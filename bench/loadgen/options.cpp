#include "options.hpp"

#include <charconv>
#include <cstdlib>
#include <utility>

namespace loadgen {
namespace {

bool toInt(const std::string& v, int& out, int lo, int hi) {
  int n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc{} || end != v.data() + v.size() || n < lo || n > hi) return false;
  out = n;
  return true;
}

bool toDouble(const std::string& v, double& out, double lo) {
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !(d >= lo)) return false;
  out = d;
  return true;
}

// "N" or "N,M,...", each in lo..hi.
bool toIntList(const std::string& v, std::vector<int>& out, int lo, int hi) {
  std::vector<int> list;
  std::size_t at = 0;
  for (;;) {
    const std::size_t comma = v.find(',', at);
    int n = 0;
    if (!toInt(v.substr(at, comma - at), n, lo, hi)) return false;
    list.push_back(n);
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  out = std::move(list);
  return true;
}

// Applies one flag; returns "" or what is wrong with its value.
std::string apply(Options& o, const std::string& name, const std::string& v) {
  auto intFlag = [&](int& field, int lo, int hi) {
    return toInt(v, field, lo, hi) ? "" : "--" + name + ": expected an integer " + std::to_string(lo) + ".." + std::to_string(hi);
  };
  auto listFlag = [&](std::vector<int>& field, int lo, int hi) {
    return toIntList(v, field, lo, hi) ? "" : "--" + name + ": expected integers " + std::to_string(lo) + ".." + std::to_string(hi) + ", separated by commas";
  };
  auto numFlag = [&](double& field, double lo) { return toDouble(v, field, lo) ? "" : "--" + name + ": expected a number"; };
  if (name == "protocol") {
    if (v == "huddle") o.protocol = Protocol::Huddle;
    else if (v == "ws") o.protocol = Protocol::Ws;
    else return "--protocol: huddle or ws";
    return "";
  }
  if (name == "mode") {
    if (v == "directed") o.mode = Mode::Directed;
    else if (v == "broadcast") o.mode = Mode::Broadcast;
    else return "--mode: directed or broadcast";
    return "";
  }
  if (name == "host" || name == "path" || name == "label") {
    (name == "host" ? o.host : name == "path" ? o.path : o.label) = v;
    return "";
  }
  if (name == "port") return listFlag(o.ports, 1, 65535);
  if (name == "clients") return intFlag(o.clients, 1, 100000);
  if (name == "room-size") return intFlag(o.roomSize, 2, 8);
  if (name == "payload-bytes") return intFlag(o.payloadBytes, 40, 60000);
  if (name == "window") return intFlag(o.window, 1, 1000);
  if (name == "idle") return intFlag(o.idle, 0, 100000);
  if (name == "server-pid") return listFlag(o.serverPids, 1, 1 << 30);
  if (name == "redis-pid") return intFlag(o.redisPid, 0, 1 << 30);
  if (name == "io-threads") return intFlag(o.ioThreads, 1, 2);
  if (name == "connect-concurrency") return intFlag(o.connectConcurrency, 1, 10000);
  if (name == "rate") return numFlag(o.rate, 0);
  if (name == "duration") return numFlag(o.duration, 0.1);
  if (name == "warmup") return numFlag(o.warmup, 0);
  if (name == "setup-timeout") return numFlag(o.setupTimeout, 1);
  if (name == "tick-ms") return numFlag(o.tickMs, 0.05);
  if (name == "redis-port") return intFlag(o.redisPort, 1, 65535);
  return "unknown option --" + name + " (see --help)";
}

}  // namespace

bool parseOptions(const std::vector<std::string>& args, Options& o, std::string& error) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      error.clear();
      return false;
    }
    if (arg.rfind("--", 0) != 0) {
      error = "unexpected argument '" + arg + "'";
      return false;
    }
    std::string name = arg.substr(2);
    std::string value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      error = "--" + name + " needs a value";
      return false;
    }
    error = apply(o, name, value);
    if (!error.empty()) return false;
  }
  if (o.ports.empty()) {
    error = "--port is required";
    return false;
  }
  if (o.ports.size() > 1 && o.protocol != Protocol::Huddle) {
    error = "--port: several ports are for huddle-servers sharing rooms through Redis";
    return false;
  }
  if (o.ports.size() > 1 && o.redisPort == 0) {
    error = "--port: several ports need --redis-port, the Redis the servers share";
    return false;
  }
  if (o.path.empty()) o.path = o.protocol == Protocol::Huddle ? "/ws" : "/";
  if (o.idle > 0) o.clients = o.idle;
  return true;
}

std::string helpText() {
  return "huddle_loadgen: many WebSocket clients in rooms, relaying timestamped messages.\n"
         "  --protocol huddle|ws   huddle-server (/ws) or the bare relay bench/ws_relay.mjs (default huddle)\n"
         "  --host ADDR --port N   server address (default host 127.0.0.1; port required)\n"
         "  --port N,M,...         huddle-servers sharing rooms through Redis: a room's member in slot s\n"
         "                         connects to the (s mod count)-th port; its creator, slot 0, to the first\n"
         "  --redis-port N         with several ports: the Redis they share (on --host); members on another\n"
         "                         port than the creator's join once the room is stored there\n"
         "  --path P               WebSocket path (default /ws for huddle, / for ws)\n"
         "  --clients N            connections (default 600)\n"
         "  --room-size N          members per room, 2..8 (default 6; the last room may be smaller)\n"
         "  --mode directed|broadcast  to one member (round robin) or to all others (default directed)\n"
         "  --payload-bytes N      size of the data string, quotes included (default 214)\n"
         "  --rate N               messages/s in total, evenly spread; 0 = saturation (default 5000)\n"
         "  --window N             at --rate 0: messages in flight per client (default 8)\n"
         "  --duration S           measured seconds (default 10)\n"
         "  --warmup S             traffic before the measured window (default 2)\n"
         "  --idle N               connect N clients into rooms and hold them --duration s; no traffic\n"
         "  --server-pid PID[,PID...]  report the servers' CPU (utime/stime) and RSS from /proc: summed, and\n"
         "                         each apart when there are several\n"
         "  --redis-pid PID        report the CPU and RSS of the redis-server they share, apart and in a total\n"
         "  --io-threads 1|2       generator threads; each owns whole rooms (default 1)\n"
         "  --connect-concurrency N  connections opening at once (default 256)\n"
         "  --setup-timeout S      limit for connecting everyone into rooms (default 120)\n"
         "  --tick-ms MS           pacing granularity (default 1)\n"
         "  --label TEXT           copied into the JSON line\n"
         "Prints one JSON line of figures, then a short table. Exit 0 ok, 1 setup failed, 2 bad options.\n";
}

}  // namespace loadgen
