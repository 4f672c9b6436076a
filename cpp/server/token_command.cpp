// `huddle-server token`: mints a join token from the command line, for scripts and for trying
// --auth-secret out (docs/tokens.md). The secret comes from --auth-secret or HUDDLE_AUTH_SECRET,
// as for the server itself.
#include <charconv>
#include <map>
#include <optional>

#include "huddle/limits.hpp"
#include "huddle/room_code.hpp"
#include "server/join_token.hpp"

namespace huddle::server {
namespace {

constexpr std::string_view kTokenHelp =
    "Usage: huddle-server token --room R --peer P --name N [--expires-in 2h] [--max-members M] [--relay-only]\n"
    "                          [--auth-secret S]\n"
    "\n"
    "Prints a signed join token (docs/tokens.md) for room R (a room name or code), peer id P and\n"
    "display name N, valid for --expires-in (90s, 15m, 2h, 7d; default 2h). --max-members and\n"
    "--relay-only are the room's rules if this token's join creates it. The secret is --auth-secret\n"
    "or the environment variable HUDDLE_AUTH_SECRET (at least 32 bytes).\n";

}  // namespace

int runTokenCommand(const std::vector<std::string>& args, const char* envSecret, std::int64_t nowSeconds,
                    std::string& out, std::string& err) {
  std::map<std::string, std::string> values;
  bool relayOnly = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    if (name == "--help" || name == "-h") {
      err = kTokenHelp;
      return 0;
    }
    if (name == "--relay-only") {
      relayOnly = true;
      continue;
    }
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (name != "--room" && name != "--peer" && name != "--name" && name != "--expires-in" &&
        name != "--max-members" && name != "--auth-secret") {
      err = "huddle-server token: unknown option '" + name + "' (see huddle-server token --help)\n";
      return 2;
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        err = "huddle-server token: " + name + " needs a value\n";
        return 2;
      }
      value = args[++i];
    }
    values[name.substr(2)] = *value;
  }
  auto fail = [&err](const std::string& message) {
    err = "huddle-server token: " + message + "\n";
    return 2;
  };
  for (const char* required : {"room", "peer", "name"})
    if (!values.count(required)) return fail(std::string("--") + required + " is required");

  JoinClaims claims;
  auto room = normalizeRoomKey(values["room"]);
  if (!room) return fail("--room must be a room code or a room name (1-64 of A-Z a-z 0-9 _ . -)");
  claims.room = *room;
  if (!isValidPeerId(values["peer"])) return fail("--peer must be 1-64 of A-Z a-z 0-9 _ -");
  claims.peerId = values["peer"];
  auto name = normalizeName(values["name"]);
  if (!name) return fail("--name is not a valid display name (1-32 characters, no control or invisible ones)");
  claims.name = *name;
  auto lifetime = parseDurationSeconds(values.count("expires-in") ? values["expires-in"] : "2h");
  if (!lifetime) return fail("--expires-in must be a duration like 90s, 15m, 2h or 7d (at most 366d)");
  claims.expiresAt = nowSeconds + *lifetime;
  if (values.count("max-members")) {
    const std::string& text = values["max-members"];
    int n = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || ptr != text.data() + text.size() || n < limits::kMinRoomSize ||
        n > limits::kMaxRoomSizeCap)
      return fail("--max-members must be an integer from " + std::to_string(limits::kMinRoomSize) + " to " +
                  std::to_string(limits::kMaxRoomSizeCap));
    claims.maxMembers = n;
  }
  claims.relayOnly = relayOnly;
  std::string secret = values.count("auth-secret") ? values["auth-secret"] : (envSecret ? envSecret : "");
  if (secret.size() < limits::kMinAuthSecretBytes)
    return fail("the secret (--auth-secret or HUDDLE_AUTH_SECRET) must be at least " +
                std::to_string(limits::kMinAuthSecretBytes) + " bytes");
  out = mintJoinToken(claims, secret) + "\n";
  return 0;
}

}  // namespace huddle::server
