#include "server/metrics.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <string_view>

#include <nlohmann/json.hpp>

namespace huddle::server {
namespace {

// Every counter once: its /healthz field (nullptr: /metrics only), its Prometheus name, type and
// help, and how to read it. Both outputs are derived from this table, in this order.
struct Counter {
  const char* jsonName;
  const char* metricName;
  const char* type;
  const char* help;
  std::uint64_t (*read)(const StatsSnapshot&);
  // A labelled series ({limit="..."}): rows of one family follow each other, and HELP and TYPE
  // are written once, before the first.
  const char* labels = nullptr;
};

constexpr const char* kRefusalsHelp =
    "Connections refused or closed by a transport guard (docs/security.md), by limit.";
constexpr const char* kClosedHelp = "WebSocket connections that ended, by why.";
constexpr const char* kRoomsClosedHelp =
    "Rooms closed: emptied (the last member left, or the last away member's grace ran out) or expired "
    "(--room-idle-ms).";
constexpr const char* kJoinsHelp =
    "Create and join frames by outcome: created a room, joined a live one, resumed a place the connection held, "
    "or refused (huddle_join_refusals_total says why).";
constexpr const char* kHostAwayEndedHelp =
    "Host-away episodes that ended: back (resumed in time) or left (the grace ran out, or the room expired).";

constexpr const char* kClientPathsHelp =
    "Paths between members as the newer member of each pair reported them: direct (a WebRTC link), relay (this "
    "server), or none (not settled within the report's deadline).";

template <Transport T>
std::uint64_t reportedPaths(const StatsSnapshot& s) {
  return s.hub.reportedPaths[static_cast<std::size_t>(T)];
}
template <ConnectionEnd End>
std::uint64_t closedBy(const StatsSnapshot& s) {
  return s.transport.connectionsClosed[static_cast<std::size_t>(End)];
}
template <JoinOutcome Outcome>
std::uint64_t joinsWith(const StatsSnapshot& s) {
  return s.hub.joins[static_cast<std::size_t>(Outcome)];
}

// Binary frames and rate-limited frames never reach the Hub, so the transport adds them, to both
// counts: a rejected frame is always a received one.
std::uint64_t framesIn(const StatsSnapshot& s) {
  return s.hub.framesIn + s.transport.binaryFramesRejected + s.transport.rateLimited;
}
std::uint64_t framesRejected(const StatsSnapshot& s) {
  return s.hub.framesRejected + s.transport.binaryFramesRejected + s.transport.rateLimited;
}

constexpr Counter kCounters[] = {
    {"uptimeSeconds", "huddle_uptime_seconds", "gauge", "Seconds since the server started.",
     [](const StatsSnapshot& s) { return s.uptimeSeconds; }},
    {"connections", "huddle_connections", "gauge", "Open signaling connections.",
     [](const StatsSnapshot& s) { return s.hub.connections; }},
    {"rooms", "huddle_rooms", "gauge", "Live rooms.", [](const StatsSnapshot& s) { return s.hub.rooms; }},
    {"members", "huddle_members", "gauge", "Connections that are members of a room.",
     [](const StatsSnapshot& s) { return s.hub.members; }},
    {"framesIn", "huddle_frames_in_total", "counter", "Client frames received (accepted or not).", framesIn},
    {"framesRejected", "huddle_frames_rejected_total", "counter", "Client frames answered with an error.",
     framesRejected},
    {"rateLimited", "huddle_rate_limited_total", "counter",
     "Client frames refused by the per-connection rate limit.",
     [](const StatsSnapshot& s) { return s.transport.rateLimited; }},
    {"signalsForwarded", "huddle_signals_forwarded_total", "counter", "Signal frames forwarded between members.",
     [](const StatsSnapshot& s) { return s.hub.signalsForwarded; }},
    {"relayedMessages", "huddle_relayed_messages_total", "counter", "App messages carried by the relay.",
     [](const StatsSnapshot& s) { return s.hub.relayedMessages; }},
    {"relayedBytes", "huddle_relayed_bytes_total", "counter",
     "Bytes of relay frames sent to members, every copy counted (what the relay budget per address charges).",
     [](const StatsSnapshot& s) { return s.hub.relayedBytes; }},
    {"awayMembers", "huddle_away_members", "gauge", "Members whose connection dropped, within their grace period.",
     [](const StatsSnapshot& s) { return s.hub.awayMembers; }},
    {"roomsCreated", "huddle_rooms_created_total", "counter", "Rooms created.",
     [](const StatsSnapshot& s) { return s.hub.roomsCreated; }},
    {"hostChanges", "huddle_host_changes_total", "counter",
     "Rooms whose host became another member (the host left, or an older member's place was restored).",
     [](const StatsSnapshot& s) { return s.hub.hostChanges; }},
    {nullptr, "huddle_host_away_total", "counter",
     "Hosts whose connection dropped and who stayed host, away, in their grace period.",
     [](const StatsSnapshot& s) { return s.hub.hostAway; }},
    {nullptr, "huddle_host_away_ended_total", "counter", kHostAwayEndedHelp,
     [](const StatsSnapshot& s) { return s.hub.hostBack; }, R"(outcome="back")"},
    {nullptr, "huddle_host_away_ended_total", "counter", kHostAwayEndedHelp,
     [](const StatsSnapshot& s) { return s.hub.hostAwayLeft; }, R"(outcome="left")"},
    {nullptr, "huddle_rooms_closed_total", "counter", kRoomsClosedHelp,
     [](const StatsSnapshot& s) { return s.hub.roomsEmptied; }, R"(reason="emptied")"},
    {nullptr, "huddle_rooms_closed_total", "counter", kRoomsClosedHelp,
     [](const StatsSnapshot& s) { return s.hub.roomsExpired; }, R"(reason="expired")"},
    // Kept for dashboards that read it: huddle_rooms_closed_total{reason="expired"} is the same count.
    {nullptr, "huddle_rooms_expired_total", "counter",
     "Rooms closed because none of their members was active for --room-idle-ms.",
     [](const StatsSnapshot& s) { return s.hub.roomsExpired; }},
    {nullptr, "huddle_joins_total", "counter", kJoinsHelp, joinsWith<JoinOutcome::Created>, R"(outcome="created")"},
    {nullptr, "huddle_joins_total", "counter", kJoinsHelp, joinsWith<JoinOutcome::Joined>, R"(outcome="joined")"},
    {nullptr, "huddle_joins_total", "counter", kJoinsHelp, joinsWith<JoinOutcome::Resumed>, R"(outcome="resumed")"},
    {nullptr, "huddle_joins_total", "counter", kJoinsHelp, joinsWith<JoinOutcome::Refused>, R"(outcome="refused")"},
    {nullptr, "huddle_rooms_limited_total", "counter",
     "Creates refused by the rooms per minute of their address (rate_limited).",
     [](const StatsSnapshot& s) { return s.hub.refusedByAddressLimit[static_cast<int>(AddressLimit::Rooms)]; }},
    {nullptr, "huddle_failed_joins_limited_total", "counter",
     "Joins refused while their address waited out its failed joins (rate_limited).",
     [](const StatsSnapshot& s) { return s.hub.refusedByAddressLimit[static_cast<int>(AddressLimit::FailedJoins)]; }},
    {nullptr, "huddle_password_checks_limited_total", "counter",
     "Joins refused by the room password checks per second of their address (rate_limited).",
     [](const StatsSnapshot& s) {
       return s.hub.refusedByAddressLimit[static_cast<int>(AddressLimit::PasswordChecks)];
     }},
    {nullptr, "huddle_relay_bytes_limited_total", "counter",
     "Relay frames refused by the relay bytes per second of their address (rate_limited).",
     [](const StatsSnapshot& s) { return s.hub.refusedByAddressLimit[static_cast<int>(AddressLimit::RelayBytes)]; }},
    {nullptr, "huddle_addresses", "gauge", "Client addresses tracked for the limits per address.",
     [](const StatsSnapshot& s) { return s.hub.addresses; }},
    {nullptr, "huddle_addresses_evicted_total", "counter",
     "Addresses forgotten at the --max-addresses cap while they still owed something.",
     [](const StatsSnapshot& s) { return s.hub.addressesEvicted; }},
    {nullptr, "huddle_join_tokens_accepted_total", "counter", "Signed join tokens that checked out (docs/tokens.md).",
     [](const StatsSnapshot& s) { return s.hub.tokensAccepted; }},
    {nullptr, "huddle_join_tokens_refused_total", "counter",
     "Signed join tokens refused: invalid_token (bad signature, claims, room or id) or token_expired.",
     [](const StatsSnapshot& s) { return s.hub.tokensRefused; }},
    {nullptr, "huddle_token_required_total", "counter",
     "Frames refused for want of a join token (token_required: an id asked for, a named room).",
     [](const StatsSnapshot& s) { return s.hub.tokenRequired; }},
    {nullptr, "huddle_wrong_passwords_total", "counter",
     "Joins refused with wrong_password (no password, or another one, for a room that has one); each is also a "
     "failed join of its address.",
     [](const StatsSnapshot& s) { return s.hub.wrongPasswords; }},
    {nullptr, "huddle_client_stats_reports_total", "counter",
     "Stats frames taken from members: one per room entered, after their paths settled (docs/protocol.md).",
     [](const StatsSnapshot& s) { return s.hub.statsReports; }},
    {nullptr, "huddle_client_paths_total", "counter", kClientPathsHelp, reportedPaths<Transport::Direct>,
     R"(transport="direct")"},
    {nullptr, "huddle_client_paths_total", "counter", kClientPathsHelp, reportedPaths<Transport::Relay>,
     R"(transport="relay")"},
    {nullptr, "huddle_client_paths_total", "counter", kClientPathsHelp, reportedPaths<Transport::None>,
     R"(transport="none")"},
    {nullptr, "huddle_connections_opened_total", "counter",
     "WebSocket connections opened (upgraded and registered with the Hub).",
     [](const StatsSnapshot& s) { return s.transport.connectionsOpened; }},
    {nullptr, "huddle_connections_closed_total", "counter", kClosedHelp, closedBy<ConnectionEnd::ClientClosed>,
     R"(reason="client_closed")"},
    {nullptr, "huddle_connections_closed_total", "counter", kClosedHelp, closedBy<ConnectionEnd::HeartbeatTimeout>,
     R"(reason="heartbeat_timeout")"},
    {nullptr, "huddle_connections_closed_total", "counter", kClosedHelp, closedBy<ConnectionEnd::SlowClient>,
     R"(reason="slow_client")"},
    {nullptr, "huddle_connections_closed_total", "counter", kClosedHelp, closedBy<ConnectionEnd::HelloTimeout>,
     R"(reason="hello_timeout")"},
    {nullptr, "huddle_connections_closed_total", "counter", kClosedHelp, closedBy<ConnectionEnd::ServerShutdown>,
     R"(reason="server_shutdown")"},
    {nullptr, "huddle_connections_closed_total", "counter", kClosedHelp, closedBy<ConnectionEnd::ProtocolError>,
     R"(reason="protocol_error")"},
    {nullptr, "huddle_connections_closed_total", "counter", kClosedHelp, closedBy<ConnectionEnd::MessageTooBig>,
     R"(reason="message_too_big")"},
    {nullptr, "huddle_connections_closed_total", "counter", kClosedHelp, closedBy<ConnectionEnd::Error>,
     R"(reason="error")"},
    {nullptr, "huddle_connections_closed_total", "counter", kClosedHelp, closedBy<ConnectionEnd::NodeLost>,
     R"(reason="node_lost")"},
    {nullptr, "huddle_connections_closed_total", "counter", kClosedHelp, closedBy<ConnectionEnd::DirectoryDown>,
     R"(reason="directory_down")"},
    {nullptr, "huddle_upgrades_refused_total", "counter", "WebSocket upgrades refused at the connection cap.",
     [](const StatsSnapshot& s) { return s.transport.upgradesRefused; }},
    {nullptr, "huddle_slow_clients_closed_total", "counter",
     "Connections closed because their send queue overflowed.",
     [](const StatsSnapshot& s) { return s.transport.slowClientsClosed; }},
    {nullptr, "huddle_heartbeat_timeouts_total", "counter", "Connections dropped by the idle timeout.",
     [](const StatsSnapshot& s) { return s.transport.heartbeatTimeouts; }},
    {nullptr, "huddle_refusals_total", "counter", kRefusalsHelp,
     [](const StatsSnapshot& s) { return s.transport.upgradesRefused; }, R"(limit="max_connections")"},
    {nullptr, "huddle_refusals_total", "counter", kRefusalsHelp,
     [](const StatsSnapshot& s) { return s.transport.wsPerAddressRefused; }, R"(limit="max_connections_per_address")"},
    {nullptr, "huddle_refusals_total", "counter", kRefusalsHelp,
     [](const StatsSnapshot& s) { return s.transport.helloTimeouts; }, R"(limit="hello_timeout")"},
    {nullptr, "huddle_refusals_total", "counter", kRefusalsHelp,
     [](const StatsSnapshot& s) { return s.transport.originRefused; }, R"(limit="allowed_origins")"},
    {nullptr, "huddle_refusals_total", "counter", kRefusalsHelp,
     [](const StatsSnapshot& s) { return s.transport.httpCapRefused; }, R"(limit="max_http_connections")"},
    {nullptr, "huddle_refusals_total", "counter", kRefusalsHelp,
     [](const StatsSnapshot& s) { return s.transport.httpPerAddressRefused; },
     R"(limit="max_http_connections_per_address")"},
    {nullptr, "huddle_refusals_total", "counter", kRefusalsHelp,
     [](const StatsSnapshot& s) { return s.transport.requestTimeouts; }, R"(limit="http_request_timeout")"},
};

static_assert(kConnectionEndCount == 10, "a new ConnectionEnd needs its row in kCounters");
static_assert(kJoinOutcomeCount == 4, "a new JoinOutcome needs its row in kCounters");

// The codes a create or join can be refused with: written even at 0, so a dashboard's series exist
// before the first refusal (a code not listed here still shows once it is counted).
constexpr ErrorCode kJoinRefusalCodes[] = {
    ErrorCode::RoomNotFound,  ErrorCode::RoomFull,       ErrorCode::WrongPassword,  ErrorCode::NameTaken,
    ErrorCode::InvalidName,   ErrorCode::InvalidCode,    ErrorCode::InvalidRoomSize, ErrorCode::AlreadyInRoom,
    ErrorCode::RateLimited,   ErrorCode::ServerFull,     ErrorCode::TokenRequired,  ErrorCode::InvalidToken,
    ErrorCode::TokenExpired,  ErrorCode::HelloRequired,  ErrorCode::Internal,
};

std::string joinRefusalsText(const HubStats& hub) {
  const std::string name = "huddle_join_refusals_total";
  std::string out = "# HELP " + name + " Create and join frames refused, by the error code they got.\n# TYPE " +
                    name + " counter\n";
  auto row = [&](ErrorCode code, std::uint64_t value) {
    out += name + "{code=\"" + std::string(errorCodeName(code)) + "\"} " + std::to_string(value) + '\n';
  };
  auto countOf = [&](ErrorCode code) {
    auto it = hub.joinRefusals.find(code);
    return it == hub.joinRefusals.end() ? std::uint64_t{0} : it->second;
  };
  for (ErrorCode code : kJoinRefusalCodes) row(code, countOf(code));
  for (const auto& [code, count] : hub.joinRefusals) {
    if (std::find(std::begin(kJoinRefusalCodes), std::end(kJoinRefusalCodes), code) == std::end(kJoinRefusalCodes))
      row(code, count);
  }
  return out;
}

// The shortest text that reads back as `value` ("1", "14400", "0.25"), as Prometheus parses it.
std::string number(double value) {
  char text[32];
  auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  return ec == std::errc{} ? std::string(text, end) : std::string("NaN");
}

// A histogram as the exposition format has it: cumulative _bucket rows ending with +Inf, then
// _sum and _count.
// `labels` (`transport="direct"`) go before le, and on _sum and _count.
std::string histogramRows(const std::string& name, const Histogram& h, const std::string& labels = "") {
  std::string out;
  const std::string le = labels.empty() ? "{le=\"" : "{" + labels + ",le=\"";
  const std::string tail = labels.empty() ? "" : "{" + labels + "}";
  const auto& bounds = h.upperBounds();
  for (std::size_t i = 0; i < bounds.size(); ++i)
    out += name + "_bucket" + le + number(bounds[i]) + "\"} " + std::to_string(h.countAtOrBelow(i)) + '\n';
  out += name + "_bucket" + le + "+Inf\"} " + std::to_string(h.count()) + '\n';
  out += name + "_sum" + tail + ' ' + number(h.sum()) + '\n';
  out += name + "_count" + tail + ' ' + std::to_string(h.count()) + '\n';
  return out;
}

std::string histogramText(const std::string& name, const char* help, const Histogram& h) {
  return "# HELP " + name + ' ' + help + "\n# TYPE " + name + " histogram\n" + histogramRows(name, h);
}

// A histogram per transport (index 0 direct, 1 relay: HubStats::pathSettleSeconds).
std::string byTransportText(const std::string& name, const char* help, const std::array<Histogram, 2>& h) {
  return "# HELP " + name + ' ' + help + "\n# TYPE " + name + " histogram\n" +
         histogramRows(name, h[0], R"(transport="direct")") + histogramRows(name, h[1], R"(transport="relay")");
}

// The room directory's metrics, only on a server with one (--redis).
std::string directoryText(const DirectoryStats& d) {
  struct Row {
    const char* name;
    const char* type;
    const char* help;
    double value;
  };
  const Row rows[] = {
      {"huddle_redis_up", "gauge", "1 while the room directory's Redis connection is up.", d.up ? 1.0 : 0.0},
      {"huddle_redis_reconnects_total", "counter", "Connections to Redis made again after one was lost.",
       static_cast<double>(d.reconnects)},
      {"huddle_redis_round_trip_ms", "gauge", "The last Redis command's round trip, ms.", d.roundTripMs},
      {"huddle_room_records_written_total", "counter", "Room records written to or deleted from Redis.",
       static_cast<double>(d.written)},
      {"huddle_room_records_failed_total", "counter",
       "Room record writes Redis refused or lost (each is written again when Redis is back).",
       static_cast<double>(d.failed)},
      {"huddle_rooms_restored_total", "counter", "Rooms read back from Redis (after a restart).",
       static_cast<double>(d.restored)},
      {"huddle_directory_reconciles_total", "counter",
       "Whole rewrites of the room directory after Redis came back.", static_cast<double>(d.reconciles)},
      {"huddle_node_frames_sent_total", "counter",
       "Frames sent to other nodes (members whose connection or room is on another node).",
       static_cast<double>(d.nodeFramesSent)},
      {"huddle_node_frames_received_total", "counter", "Frames received from other nodes.",
       static_cast<double>(d.nodeFramesReceived)},
      {"huddle_node_frames_dropped_total", "counter",
       "Frames to other nodes that Redis did not take (its connection down or overloaded); clients resend.",
       static_cast<double>(d.nodeFramesDropped)},
      {"huddle_usage_reports_sent_total", "counter",
       "Usage reports (charges and connections per address) published to the other nodes.",
       static_cast<double>(d.usageReportsSent)},
      {"huddle_usage_reports_received_total", "counter", "Usage reports read from the other nodes.",
       static_cast<double>(d.usageReportsReceived)},
      {"huddle_usage_reports_rejected_total", "counter", "Usage reports from other nodes that did not decode.",
       static_cast<double>(d.usageReportsRejected)},
      {"huddle_usage_remote_charges_total", "counter",
       "Other nodes' charges to the limits per address, charged here too.", static_cast<double>(d.remoteCharges)},
      {"huddle_usage_remote_charges_dropped_total", "counter",
       "Other nodes' charges dropped: a new address with the table of addresses full.",
       static_cast<double>(d.remoteChargesDropped)},
      {"huddle_usage_nodes", "gauge",
       "Other nodes whose connections count against the caps per address now (0: this node counts its own alone).",
       static_cast<double>(d.usageNodes)},
  };
  std::string out;
  for (const auto& r : rows) {
    char value[32];
    std::snprintf(value, sizeof value, "%.17g", r.value);
    out += std::string("# HELP ") + r.name + ' ' + r.help + "\n# TYPE " + r.name + ' ' + r.type + '\n' + r.name +
           ' ' + value + '\n';
  }
  return out + histogramText("huddle_redis_round_trip_seconds",
                             "Round trips of the room directory's Redis commands, from send to reply.",
                             d.roundTripSeconds);
}

}  // namespace

std::string healthzJson(const StatsSnapshot& s) {
  // ordered_json keeps the documented field order, which makes the output easy to eyeball.
  nlohmann::ordered_json j;
  const DirectoryStats& d = s.directory;
  // Degraded, not down: the node still serves the members it holds (docs/cluster.md).
  j["status"] = d.enabled && !d.up ? "degraded" : "ok";
  for (const auto& c : kCounters) {
    if (c.jsonName) j[c.jsonName] = c.read(s);
  }
  if (d.enabled) {
    j["redis"] = {{"status", d.up ? "up" : "down"}, {"reason", d.reason}, {"loaded", d.loaded}, {"node", d.nodeId}};
  }
  return j.dump();
}

std::string prometheusText(const StatsSnapshot& s) {
  std::string out;
  std::string_view family;
  for (const auto& c : kCounters) {
    if (family != c.metricName)
      out += std::string("# HELP ") + c.metricName + ' ' + c.help + "\n# TYPE " + c.metricName + ' ' + c.type + '\n';
    family = c.metricName;
    out += c.metricName;
    if (c.labels) out += std::string("{") + c.labels + '}';
    out += ' ' + std::to_string(c.read(s)) + '\n';
  }
  out += joinRefusalsText(s.hub);
  out += histogramText("huddle_room_members", "The most members a room held at once, observed when it closes.",
                       s.hub.roomPeakMembers);
  out += histogramText("huddle_room_lifetime_seconds", "How long a room lived, observed when it closes.",
                       s.hub.roomLifetimeSeconds);
  out += byTransportText("huddle_client_path_settle_seconds",
                         "How long after a member asked to join its path to each member it found settled, as members "
                         "report it, by the transport it settled on.",
                         s.hub.pathSettleSeconds);
  out += byTransportText("huddle_client_path_rtt_seconds",
                         "The first round trip measured over each reported path, as members report it, by transport.",
                         s.hub.pathRttSeconds);
  if (s.directory.enabled) out += directoryText(s.directory);
  return out;
}

std::string_view connectionEndName(ConnectionEnd end) {
  static constexpr std::string_view kNames[] = {"client_closed", "heartbeat_timeout", "slow_client", "hello_timeout",
                                                "server_shutdown", "protocol_error", "message_too_big", "error",
                                                "node_lost", "directory_down"};
  static_assert(std::size(kNames) == kConnectionEndCount);
  return kNames[static_cast<std::size_t>(end)];
}

}  // namespace huddle::server
