#include "server/config_options.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <sstream>
#include <type_traits>

#include <boost/asio/ip/address.hpp>

#include "server/address.hpp"
#include "server/link_preview.hpp"
#include "server/redis_url.hpp"

namespace huddle::server {
namespace {

template <typename T>
std::optional<T> parseInteger(const std::string& text) {
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

std::string needRange(long long lo, long long hi) {
  return "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
}

// ---- the options that only store a checked value in one field -----------------------------------

// The field an option sets, named by its path of member pointers: &ServerConfig::port, or
// &ServerConfig::perAddress, &AddressLimitConfig::maxAddresses for a member of a member.
template <auto... Path>
auto& field(auto& config) {
  return (config .* ... .* Path);
}

// An integer from Lo to Hi, both included (anything else, signs and spaces too, is refused).
template <long long Lo, long long Hi, auto... Path>
std::string applyInteger(ServerConfig& c, const std::string& v) {
  auto n = parseInteger<long long>(v);
  if (!n || *n < Lo || *n > Hi) return needRange(Lo, Hi);
  auto& target = field<Path...>(c);
  target = static_cast<std::remove_reference_t<decltype(target)>>(*n);
  return {};
}

template <auto... Path>
std::string integerText(const ServerConfig& c) {
  return std::to_string(field<Path...>(c));
}

template <long long Lo, long long Hi, auto... Path>
constexpr Option integerOption(std::string_view flag, std::string_view env, std::string_view valueName,
                               std::string_view help) {
  return {flag, env, valueName, help, integerText<Path...>, applyInteger<Lo, Hi, Path...>};
}

// A path (a directory), which must not be empty.
template <auto... Path>
std::string applyPath(ServerConfig& c, const std::string& v) {
  if (v.empty()) return "must not be empty";
  field<Path...>(c) = v;
  return {};
}

template <auto... Path>
std::string pathText(const ServerConfig& c) {
  return field<Path...>(c);
}

template <auto... Path>
constexpr Option pathOption(std::string_view flag, std::string_view env, std::string_view help) {
  return {flag, env, "DIR", help, pathText<Path...>, applyPath<Path...>};
}

// ---- the options with a check or a consequence of their own -------------------------------------

std::string applyHost(ServerConfig& c, const std::string& v) {
  std::string host = v == "localhost" ? "127.0.0.1" : v;
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  if (ec) return "must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1)";
  c.host = host;
  return {};
}

std::string applyPublicOrigin(ServerConfig& c, const std::string& v) {
  if (auto problem = validatePublicOrigin(v); !problem.empty()) return problem;
  c.publicOrigin = v;
  return {};
}

// "a, b ,c" -> {"a", "b", "c"}; empty items are dropped.
std::vector<std::string> splitList(const std::string& v) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= v.size()) {
    std::size_t end = v.find(',', start);
    if (end == std::string::npos) end = v.size();
    std::string item = v.substr(start, end - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) items.push_back(std::move(item));
    start = end + 1;
  }
  return items;
}

std::string applyAllowedOrigins(ServerConfig& c, const std::string& v) {
  std::vector<std::string> origins = splitList(v);
  for (auto& origin : origins) {
    if (origin == "*") continue;
    if (auto problem = validatePublicOrigin(origin); !problem.empty()) return "'" + origin + "' " + problem;
  }
  c.allowedOrigins = std::move(origins);
  return {};
}

std::string applyTrustedProxies(ServerConfig& c, const std::string& v) {
  std::vector<std::string> proxies = splitList(v);
  for (const auto& proxy : proxies)
    if (!parseNetwork(proxy)) return "'" + proxy + "' is not an IP address or a CIDR network (e.g. 10.0.0.0/8, ::1)";
  c.trustedProxies = std::move(proxies);
  return {};
}

std::string applyRedisUrl(ServerConfig& c, const std::string& v) {
  std::string error;
  if (!parseRedisUrl(v, error)) return error;
  c.redisUrl = v;
  return {};
}

std::string applyNodeId(ServerConfig& c, const std::string& v) {
  // It is part of Redis keys and log lines: printable, no spaces, short.
  const bool plain = !v.empty() && v.size() <= 64 && std::all_of(v.begin(), v.end(), [](char ch) {
    return ch > ' ' && ch < 127;
  });
  if (!plain) return "must be 1 to 64 printable ASCII characters without spaces";
  c.nodeId = v;
  return {};
}

std::string joinList(const std::vector<std::string>& items, const char* none) {
  if (items.empty()) return none;
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::string applyIceServers(ServerConfig& c, const std::string& v) {
  auto parsed = nlohmann::json::parse(v, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return "is not valid JSON";
  if (auto problem = validateIceServers(parsed); !problem.empty()) return problem;
  c.iceServers = std::move(parsed);
  return {};
}

std::string applyFrameRate(ServerConfig& c, const std::string& v) {
  auto n = parseInteger<int>(v);
  if (!n || *n < 1 || *n > 100'000) return needRange(1, 100'000);
  c.rate.framesPerSecond = *n;
  c.rate.frameBurst = limits::kFrameBurstSeconds * *n;  // a join's offers and candidates, quick replies
  return {};
}

std::string applyByteRate(ServerConfig& c, const std::string& v) {
  // At least a largest frame per second: the burst (1 s of it) must hold one.
  auto n = parseInteger<int>(v);
  if (!n || *n < 65'536 || *n > 1'000'000'000) return needRange(65'536, 1'000'000'000);
  c.rate.bytesPerSecond = *n;
  c.rate.byteBurst = limits::kByteBurstSeconds * *n;
  return {};
}

std::string applyRoomsPerMinute(ServerConfig& c, const std::string& v) {
  auto n = parseInteger<int>(v);
  if (!n || *n < 1 || *n > 1'000'000) return needRange(1, 1'000'000);
  c.perAddress.roomsPerMinute = *n;
  c.perAddress.roomBurst = *n * limits::kRoomBurstSeconds / 60;
  return {};
}

std::string applyFailedJoinsPerMinute(ServerConfig& c, const std::string& v) {
  auto n = parseInteger<int>(v);
  if (!n || *n < 1 || *n > 1'000'000) return needRange(1, 1'000'000);
  c.perAddress.failedJoinsPerMinute = *n;
  c.perAddress.failedJoinBurst = std::max(1.0, *n * limits::kFailedJoinBurstSeconds / 60);
  return {};
}

std::string applyPasswordChecksPerSecond(ServerConfig& c, const std::string& v) {
  auto n = parseInteger<int>(v);
  if (!n || *n < 1 || *n > 1'000'000) return needRange(1, 1'000'000);
  c.perAddress.passwordChecksPerSecond = *n;
  c.perAddress.passwordCheckBurst = *n * limits::kPasswordCheckBurstSeconds;
  return {};
}

std::string applyRelayBytesPerSecond(ServerConfig& c, const std::string& v) {
  // At least a largest frame to each of a full room's 7 others, and one more: the burst (1 s of
  // it) must hold the largest broadcast, or it could never go.
  constexpr long long kMin = static_cast<long long>(limits::kMaxRoomSizeCap * limits::kMaxFrameBytes);
  auto n = parseInteger<long long>(v);
  if (!n || *n < kMin || *n > 100'000'000'000LL) return needRange(kMin, 100'000'000'000LL);
  c.perAddress.relayBytesPerSecond = static_cast<double>(*n);
  c.perAddress.relayByteBurst = static_cast<double>(*n) * limits::kRelayByteBurstSeconds;
  return {};
}

std::string applySecret(std::string& into, const std::string& v) {
  if (v.size() < limits::kMinAuthSecretBytes)
    return "must be at least " + std::to_string(limits::kMinAuthSecretBytes) + " bytes (e.g. openssl rand -base64 48)";
  into = v;
  return {};
}

std::string applyAuthSecret(ServerConfig& c, const std::string& v) { return applySecret(c.authSecret, v); }

std::string applyAuthSecretPrevious(ServerConfig& c, const std::string& v) {
  return applySecret(c.authSecretPrevious, v);
}

std::string applyTokensForCodes(ServerConfig& c, const std::string& v) {
  if (v == "1" || v == "true") c.tokensForCodes = true;
  else if (v == "0" || v == "false") c.tokensForCodes = false;
  else return "must be 1/true or 0/false";
  return {};
}

std::string secretText(const std::string& secret) { return secret.empty() ? "(none)" : "(set)"; }

std::string applyQuiet(ServerConfig& c, const std::string& v) {
  if (v == "1" || v == "true") c.logEvents = false;
  else if (v == "0" || v == "false") c.logEvents = true;
  else return "must be 1/true or 0/false";
  return {};
}

std::string applyLogFormat(ServerConfig& c, const std::string& v) {
  if (v == "text") c.logFormat = LogFormat::Text;
  else if (v == "json") c.logFormat = LogFormat::Json;
  else return "must be text or json";
  return {};
}

using C = ServerConfig;
constexpr long long kMaxMs = 3'600'000;  // the longest duration any option takes: an hour

// In the order --help lists them.
constexpr Option kOptions[] = {
    {"host", "HUDDLE_HOST", "ADDR", "IP address to listen on",
     [](const C& c) { return c.host; }, applyHost},
    integerOption<0, 65535, &C::port>("port", "HUDDLE_PORT", "N", "TCP port; 0 picks any free port"),
    pathOption<&C::staticDir>("static-dir", "HUDDLE_STATIC_DIR",
                              "directory of the web app (relative to the working directory)"),
    pathOption<&C::experiencesDir>(
        "experiences-dir", "HUDDLE_EXPERIENCES_DIR",
        "directory of the experiences served at /experiences/NAME/ (relative to the working directory)"),
    {"public-origin", "HUDDLE_PUBLIC_ORIGIN", "URL",
     "where people reach the server (e.g. https://huddle.example), for link previews; default: each request's Host",
     [](const C& c) { return c.publicOrigin.empty() ? std::string("(from Host)") : c.publicOrigin; },
     applyPublicOrigin},
    integerOption<limits::kMinRoomSize, limits::kMaxRoomSizeCap, &C::defaultRoomSize>(
        "default-room-size", "HUDDLE_DEFAULT_ROOM_SIZE", "N", "members of a room when create gives no maxMembers"),
    integerOption<limits::kMinRoomSize, limits::kMaxRoomSizeCap, &C::maxRoomSize>(
        "max-room-size", "HUDDLE_MAX_ROOM_SIZE", "N", "largest maxMembers a create may ask for (at most 8)"),
    integerOption<1, 10'000'000, &C::maxRooms>("max-rooms", "HUDDLE_MAX_ROOMS", "N", "live rooms at once"),
    integerOption<1, 1'000'000, &C::maxConnections>(
        "max-connections", "HUDDLE_MAX_CONNECTIONS", "N", "open WebSocket connections at once; more get HTTP 503"),
    integerOption<1, 1'000'000, &C::maxConnectionsPerAddress>(
        "max-connections-per-address", "HUDDLE_MAX_CONNECTIONS_PER_ADDRESS", "N",
        "open WebSocket connections from one address (IPv4, IPv6 /64); more get HTTP 429"),
    integerOption<50, kMaxMs, &C::helloTimeoutMs>(
        "hello-timeout-ms", "HUDDLE_HELLO_TIMEOUT_MS", "MS",
        "a WebSocket not welcomed this long after opening is closed (1008 \"no hello within ...\")"),
    integerOption<1, 1'000'000, &C::maxHttpConnections>(
        "max-http-connections", "HUDDLE_MAX_HTTP_CONNECTIONS", "N",
        "plain HTTP connections at once (lowered to fit the open-file limit); more get 503"),
    integerOption<1, 1'000'000, &C::maxHttpConnectionsPerAddress>(
        "max-http-connections-per-address", "HUDDLE_MAX_HTTP_CONNECTIONS_PER_ADDRESS", "N",
        "plain HTTP connections from one address; more get 429"),
    integerOption<50, kMaxMs, &C::httpRequestTimeoutMs>(
        "http-request-timeout-ms", "HUDDLE_HTTP_REQUEST_TIMEOUT_MS", "MS",
        "time an HTTP connection gets to send a whole request (idle keep-alive included); slower ones are cut off"),
    {"allowed-origins", "HUDDLE_ALLOWED_ORIGINS", "LIST",
     "comma-separated origins whose pages may open /ws besides the server's own (embedding sites); * allows all",
     [](const C& c) { return joinList(c.allowedOrigins, "(own origin only)"); }, applyAllowedOrigins},
    {"trusted-proxies", "HUDDLE_TRUSTED_PROXIES", "LIST",
     "comma-separated proxy addresses/CIDRs whose X-Forwarded-For names the client, for the per-address limits",
     [](const C& c) { return joinList(c.trustedProxies, "(none)"); }, applyTrustedProxies},
    {"ice-servers", "HUDDLE_ICE_SERVERS", "JSON", "RTCIceServer array given to clients, e.g. [{\"urls\":\"stun:stun.example.org\"}]",
     [](const C& c) { return c.iceServers.dump(); }, applyIceServers},
    integerOption<100, kMaxMs, &C::heartbeatMs>(
        "heartbeat-ms", "HUDDLE_HEARTBEAT_MS", "MS", "WebSocket idle timeout: ping after half, drop after all of it"),
    integerOption<0, kMaxMs, &C::memberGraceMs>(
        "member-grace-ms", "HUDDLE_MEMBER_GRACE_MS", "MS",
        "how long a member whose connection dropped stays in its room as away, resumable (0: leaves at once)"),
    integerOption<1, 256, &C::threads>("threads", "HUDDLE_THREADS", "N", "I/O threads"),
    {"max-frames-per-second", "HUDDLE_MAX_FRAMES_PER_SECOND", "N",
     "frames one connection may send per second (bursts of 4x); more get rate_limited",
     [](const C& c) { return std::to_string(static_cast<int>(c.rate.framesPerSecond)); }, applyFrameRate},
    {"max-bytes-per-second", "HUDDLE_MAX_BYTES_PER_SECOND", "N",
     "bytes one connection may send per second (bursts of 1 s); more get rate_limited",
     [](const C& c) { return std::to_string(static_cast<int>(c.rate.bytesPerSecond)); }, applyByteRate},
    {"rooms-per-minute", "HUDDLE_ROOMS_PER_MINUTE", "N",
     "rooms one address may create per minute (bursts of 1 minute of it); more get rate_limited",
     [](const C& c) { return std::to_string(static_cast<int>(c.perAddress.roomsPerMinute)); }, applyRoomsPerMinute},
    {"failed-joins-per-minute", "HUDDLE_FAILED_JOINS_PER_MINUTE", "N",
     "failed joins (no such room, wrong password) one address may make per minute (bursts of 40 s); then joins wait",
     [](const C& c) { return std::to_string(static_cast<int>(c.perAddress.failedJoinsPerMinute)); },
     applyFailedJoinsPerMinute},
    {"password-checks-per-second", "HUDDLE_PASSWORD_CHECKS_PER_SECOND", "N",
     "room passwords one address may have checked per second (bursts of 2 s); more get rate_limited",
     [](const C& c) { return std::to_string(static_cast<int>(c.perAddress.passwordChecksPerSecond)); },
     applyPasswordChecksPerSecond},
    {"relay-bytes-per-second", "HUDDLE_RELAY_BYTES_PER_SECOND", "N",
     "relay bytes the server sends per second for one address, counting every recipient (bursts of 1 s)",
     [](const C& c) { return std::to_string(static_cast<long long>(c.perAddress.relayBytesPerSecond)); },
     applyRelayBytesPerSecond},
    integerOption<1, 10'000'000, &C::perAddress, &AddressLimitConfig::maxAddresses>(
        "max-addresses", "HUDDLE_MAX_ADDRESSES", "N",
        "client addresses tracked for the limits per address; past it idle ones are forgotten"),
    integerOption<0, kMaxMs, &C::loneRoomGraceMs>(
        "lone-room-grace-ms", "HUDDLE_LONE_ROOM_GRACE_MS", "MS",
        "grace of an away creator in a room nobody else ever joined (at most --member-grace-ms)"),
    integerOption<0, 604'800'000, &C::roomIdleMs>(
        "room-idle-ms", "HUDDLE_ROOM_IDLE_MS", "MS",
        "close a room none of whose members was active this long (0: never; clients report activity)"),
    {"auth-secret", "HUDDLE_AUTH_SECRET", "SECRET",
     "HMAC secret for signed join tokens (docs/tokens.md); set: named rooms need a token, ids need one for them",
     [](const C& c) { return secretText(c.authSecret); }, applyAuthSecret},
    {"auth-secret-previous", "HUDDLE_AUTH_SECRET_PREVIOUS", "SECRET",
     "the secret before --auth-secret, still accepted while tokens minted with it expire (rotation)",
     [](const C& c) { return secretText(c.authSecretPrevious); }, applyAuthSecretPrevious},
    {"require-token-for-codes", "HUDDLE_REQUIRE_TOKEN_FOR_CODES", "",
     "with --auth-secret: rooms joined by code need a token too (env: 1/0)",
     [](const C& c) { return std::string(c.tokensForCodes ? "on" : "off"); }, applyTokensForCodes},
    {"redis", "HUDDLE_REDIS_URL", "URL",
     "keep rooms in this Redis too (redis://host:port/db), so a restart keeps them (docs/cluster.md)",
     [](const C& c) { return c.redisUrl.empty() ? std::string("off") : c.redisUrl; }, applyRedisUrl},
    {"node-id", "HUDDLE_NODE_ID", "NAME",
     "with --redis: this node's name, the owner of its rooms (distinct per node; a restart keeps it)",
     [](const C& c) { return c.nodeId.empty() ? std::string("HOSTNAME:PORT") : c.nodeId; }, applyNodeId},
    {"quiet", "HUDDLE_QUIET", "", "do not log connection events to stderr (env: 1/0)",
     [](const C& c) { return std::string(c.logEvents ? "off" : "on"); }, applyQuiet},
    {"log-format", "HUDDLE_LOG_FORMAT", "FORMAT",
     "stderr lines as text, or json: one object per line (ts, level, msg, event; conn, reason where known)",
     [](const C& c) { return std::string(c.logFormat == LogFormat::Json ? "json" : "text"); }, applyLogFormat},
};

}  // namespace

std::span<const Option> serverOptions() { return kOptions; }

const Option* findOption(std::string_view flag) {
  for (const auto& option : kOptions)
    if (option.flag == flag) return &option;
  return nullptr;
}

std::string helpText() {
  const ServerConfig defaults;
  std::ostringstream out;
  out << "Usage: huddle-server [options]\n"
         "\n"
         "Serves the huddle web app, its embed scripts, the experiences (/experiences/), /healthz, /metrics\n"
         "and the signaling WebSocket (/ws) on one port.\n"
         "Every option can also come from its environment variable; a flag wins over the variable.\n"
         "\n"
         "Options:\n";
  for (const auto& option : kOptions) {
    std::string left = "  --" + std::string(option.flag);
    if (!option.valueName.empty()) left += " " + std::string(option.valueName);
    left.resize(std::max<std::size_t>(left.size() + 2, 26), ' ');
    out << left << option.help << "\n"
        << std::string(26, ' ') << "env " << option.env << ", default " << option.defaultText(defaults) << "\n";
  }
  out << "  --help, -h              show this text\n"
         "\n"
         "huddle-server token --room R --peer P --name N [--expires-in 2h] prints a signed join token\n"
         "(see huddle-server token --help).\n"
         "\n"
         "On start one line is printed to stdout: huddle-server listening on http://HOST:PORT\n"
         "Exit codes: 0 clean stop (SIGINT/SIGTERM), 1 runtime failure (e.g. port in use), 2 bad options.\n";
  return out.str();
}

}  // namespace huddle::server
