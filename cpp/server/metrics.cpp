#include "server/metrics.hpp"

#include <nlohmann/json.hpp>

namespace huddle::server {
namespace {

void metric(std::string& out, const char* name, const char* type, const char* help, std::uint64_t value) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
  out += name;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

}  // namespace

std::string healthzJson(const StatsSnapshot& s) {
  // ordered_json keeps the documented field order, which makes the output easy to eyeball.
  nlohmann::ordered_json j;
  j["status"] = "ok";
  j["uptimeSeconds"] = s.uptimeSeconds;
  j["connections"] = s.hub.connections;
  j["rooms"] = s.hub.rooms;
  j["members"] = s.hub.members;
  j["framesIn"] = s.hub.framesIn;
  j["framesRejected"] = s.hub.framesRejected + s.transport.binaryFramesRejected + s.transport.rateLimited;
  j["rateLimited"] = s.transport.rateLimited;
  j["signalsForwarded"] = s.hub.signalsForwarded;
  j["relayedMessages"] = s.hub.relayedMessages;
  j["roomsCreated"] = s.hub.roomsCreated;
  return j.dump();
}

std::string prometheusText(const StatsSnapshot& s) {
  std::string out;
  metric(out, "huddle_uptime_seconds", "gauge", "Seconds since the server started.", s.uptimeSeconds);
  metric(out, "huddle_connections", "gauge", "Open signaling connections.", s.hub.connections);
  metric(out, "huddle_rooms", "gauge", "Live rooms.", s.hub.rooms);
  metric(out, "huddle_members", "gauge", "Connections that are members of a room.", s.hub.members);
  metric(out, "huddle_frames_in_total", "counter", "Client frames received by the hub.", s.hub.framesIn);
  metric(out, "huddle_frames_rejected_total", "counter", "Client frames answered with an error.",
         s.hub.framesRejected + s.transport.binaryFramesRejected + s.transport.rateLimited);
  metric(out, "huddle_rate_limited_total", "counter", "Client frames refused by the per-connection rate limit.",
         s.transport.rateLimited);
  metric(out, "huddle_signals_forwarded_total", "counter", "Signal frames forwarded between members.",
         s.hub.signalsForwarded);
  metric(out, "huddle_relayed_messages_total", "counter", "App messages carried by the relay.",
         s.hub.relayedMessages);
  metric(out, "huddle_rooms_created_total", "counter", "Rooms created.", s.hub.roomsCreated);
  metric(out, "huddle_upgrades_refused_total", "counter", "WebSocket upgrades refused at the connection cap.",
         s.transport.upgradesRefused);
  metric(out, "huddle_slow_clients_closed_total", "counter", "Connections closed because their send queue overflowed.",
         s.transport.slowClientsClosed);
  metric(out, "huddle_heartbeat_timeouts_total", "counter", "Connections dropped by the idle timeout.",
         s.transport.heartbeatTimeouts);
  return out;
}

}  // namespace huddle::server
