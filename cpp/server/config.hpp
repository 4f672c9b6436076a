// huddle-server's configuration: every knob, its default, and how flags and environment variables
// set it (a flag wins over its variable). main() parses; tests build a ServerConfig directly. The
// option table (flags, variables, defaults, --help) is config_options.cpp; parsing is config.cpp.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "huddle/address_limits.hpp"
#include "huddle/limits.hpp"
#include "huddle/message.hpp"
#include "server/log.hpp"

namespace huddle::server {

struct ServerConfig {
  // IP address literal to bind ("localhost" is read as 127.0.0.1).
  std::string host = "127.0.0.1";
  // TCP port; 0 asks the OS for any free port (the real one is printed on start).
  unsigned short port = 8080;
  // Directory the web app is served from, relative to the working directory unless absolute.
  std::string staticDir = "web/dist";
  // Where people reach this server ("https://huddle.example"), for the absolute og:url of link
  // previews; empty: taken from each request's Host header (and X-Forwarded-Proto).
  std::string publicOrigin;
  // Directory of the experiences served under /experiences/ (one subdirectory each), relative to
  // the working directory unless absolute.
  std::string experiencesDir = "experiences";
  // Members of a room created without maxMembers; between kMinRoomSize and maxRoomSize.
  int defaultRoomSize = limits::kDefaultRoomSize;
  // Largest maxMembers a create may ask for; never above limits::kMaxRoomSizeCap.
  int maxRoomSize = limits::kMaxRoomSizeCap;
  // Live rooms at once, server-wide.
  std::size_t maxRooms = 10000;
  // Open WebSocket connections at once; further upgrades are answered with HTTP 503.
  std::size_t maxConnections = 1000;
  // ---- transport guards (docs/security.md) --------------------------------------------------
  // Open WebSocket connections from one address (addressKey(): an IPv4 address, an IPv6 /64);
  // further upgrades from it are answered with HTTP 429. A school or office behind one NAT
  // address shares it, hence not lower.
  std::size_t maxConnectionsPerAddress = 50;
  // A WebSocket that has not been welcomed (sent a hello the server accepted) this long after its
  // upgrade is closed with 1008 "no hello within N ms": a socket that never says hello would
  // otherwise hold a slot for good (the browser answers pings, so the heartbeat keeps it).
  int helloTimeoutMs = 10000;
  // Plain HTTP connections at once (before any upgrade: the app, its files, a WebSocket's
  // opening request). Further connections are answered 503 and closed at once.
  std::size_t maxHttpConnections = 1000;
  // Plain HTTP connections from one address; further ones get 429 and are closed at once.
  // Browsers open about 6 per site and tab.
  std::size_t maxHttpConnectionsPerAddress = 50;
  // How long an HTTP connection may take to send one complete request, keep-alive idle time
  // included: a client trickling header bytes (slowloris) is cut off after it.
  int httpRequestTimeoutMs = 10000;
  // Origins (scheme://host[:port]) whose pages may open /ws, besides the server's own (the
  // request's Host, either scheme, and publicOrigin). "*" allows every origin. Requests with no
  // Origin header (non-browser clients) are always allowed: Origin only guards browsers.
  std::vector<std::string> allowedOrigins;
  // Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For is believed: a connection
  // from one of them counts as the address the header names (the nearest untrusted hop).
  std::vector<std::string> trustedProxies;
  // RTCIceServer[] handed to every client in welcome.
  nlohmann::json iceServers = nlohmann::json::array();
  // WebSocket idle timeout, ms: a ping goes out after half of it without traffic, and the
  // connection is dropped (peers see reason "timed_out") when the whole of it passes in silence.
  int heartbeatMs = 20000;
  // How long a member whose connection dropped keeps its place, id and host role (others see it
  // away) before it counts as left, ms; 0: it leaves at once.
  int memberGraceMs = static_cast<int>(limits::kDefaultServerMemberGraceMs);
  // Threads running the I/O loop.
  int threads = 1;
  // Connection events on stderr (never payloads).
  bool logEvents = true;
  // How those lines look: text for people, or one JSON object per line (log.hpp).
  LogFormat logFormat = LogFormat::Text;
  // Outbound queue bounds per WebSocket; a client that lets more pile up is closed (not flags:
  // the defaults suit every deployment, tests lower them).
  // Frames and bytes a connection may send per second, on average, and in one burst. A frame
  // beyond either is answered with rate_limited (each one: nothing is dropped silently) and not
  // processed. welcome announces them, so clients pace under them.
  RateLimits rate;
  // Limits per source address (docs/protocol.md "Limits per address"): rooms created, joins of
  // rooms that do not exist, relay bytes sent counting every recipient, and how many addresses
  // are tracked at once. Refusals are rate_limited, counted by limit on /metrics.
  AddressLimitConfig perAddress;
  // How long a room only its creator ever joined keeps that creator once it is away, ms.
  int loneRoomGraceMs = static_cast<int>(limits::kDefaultLoneRoomGraceMs);
  // A room none of whose members was active this long is closed (0: never; HubConfig::roomIdleMs).
  int roomIdleMs = static_cast<int>(limits::kDefaultRoomIdleMs);
  // ---- signed join tokens (docs/tokens.md) ---------------------------------------------------
  // The HMAC-SHA256 secret shared with the site that mints join tokens; "" : tokens are off and
  // ids and room names are first come, first served. At least limits::kMinAuthSecretBytes bytes.
  std::string authSecret;
  // While rotating: the secret before authSecret, still accepted so tokens minted with it keep
  // working until they expire. Only with authSecret.
  std::string authSecretPrevious;
  // With authSecret: rooms joined by code (not only named rooms) need a token as well.
  bool tokensForCodes = false;
  // ---- the room directory (docs/cluster.md) --------------------------------------------------
  // redis://[user:password@]host[:port][/db]: rooms are kept in this Redis as well as in memory,
  // so a restart keeps them (members, places, host, password). "" : memory only.
  std::string redisUrl;
  // This node's name in the directory, the owner of its rooms; "" : HOSTNAME:PORT, which a
  // restarted node keeps. Nodes sharing a Redis need distinct ones.
  std::string nodeId;
  // How long a node's lease on its rooms lasts unless renewed (not a flag; tests shorten it).
  double nodeLeaseMs = 5000;
  std::size_t sendQueueMaxFrames = 1024;
  std::size_t sendQueueMaxBytes = 4 * 1024 * 1024;
};

// What parseCommandLine decided.
struct ParseOutcome {
  enum class Action { Run, Help, Error };
  Action action = Action::Run;
  ServerConfig config;
  std::string message;  // Help: the help text; Error: what is wrong, one line
};

// Reads an environment variable; nullptr when unset. Injectable for tests.
using EnvLookup = std::function<const char*(const char*)>;

// Parses `--name value` / `--name=value` flags over environment variables over defaults.
// Never throws and never prints; main() prints and picks the exit code.
ParseOutcome parseCommandLine(const std::vector<std::string>& args, const EnvLookup& env);

// The --help text (lists every flag, its variable and its default).
std::string helpText();

// Checks an ICE server list: a JSON array of objects, each with "urls" being a non-empty string
// or a non-empty array of non-empty strings. Returns "" when valid, else what is wrong.
std::string validateIceServers(const nlohmann::json& servers);

}  // namespace huddle::server
