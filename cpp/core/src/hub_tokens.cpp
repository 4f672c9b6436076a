// The Hub's signed join tokens (docs/tokens.md): who may take a peer id and enter a named room
// when the server requires tokens (hub.cpp has connections, identity and rooms).
#include "huddle/codec.hpp"
#include "huddle/hub.hpp"
#include "huddle/room_code.hpp"

namespace huddle {
namespace {

// A room key that is a code (normalizeRoomKey reads a name that spells a code as that code).
bool isRoomCode(const std::string& key) { return normalizeRoomCode(key).value_or("") == key; }

}  // namespace

std::optional<JoinClaims> Hub::verifiedClaims(ConnId conn, std::string_view token, const char* ref,
                                              std::vector<Outgoing>& out) {
  if (!config_.verifyToken) {
    ++stats_.tokensRefused;
    reject(conn, ErrorCode::InvalidToken, "this server takes no join tokens (it runs without --auth-secret)", ref,
           out);
    return std::nullopt;
  }
  auto claims = config_.verifyToken(token);
  if (!claims) {
    ++stats_.tokensRefused;
    reject(conn, claims.error().code, claims.error().message, ref, out);
    return std::nullopt;
  }
  return std::move(claims).value();
}

void Hub::helloWithJoinToken(ConnId conn, Connection& c, const Hello& m, std::vector<Outgoing>& out) {
  // A member reconnecting after its token expired (tokens are short, a room can last longer)
  // still holds its resume token: that is proof enough for its own place.
  if (config_.verifyToken && !m.id.empty() && !m.token.empty() && holdsResumeToken(m.id, m.token)) {
    auto claims = config_.verifyToken(m.joinToken);
    if (!claims && claims.error().code == ErrorCode::TokenExpired) return helloWithoutJoinToken(conn, c, m, out);
  }
  auto claims = verifiedClaims(conn, m.joinToken, "hello", out);
  if (!claims) return;
  if (!m.id.empty() && m.id != claims->peerId) {
    ++stats_.tokensRefused;
    return reject(conn, ErrorCode::InvalidToken,
                  "the join token is for peer id " + claims->peerId + ", not " + m.id, "hello", out);
  }
  ++stats_.tokensAccepted;
  const PeerId id = claims->peerId;
  // Whoever holds the id now (an old tab, a tab still open, an impostor who got it first without
  // a token) loses it: the token is the site's word on who this is. A new resume token, so the
  // one the old holder kept can no longer win the id back.
  if (auto away = away_.find(id); away != away_.end()) {
    away->second.token = newToken();
    resume(conn, c, id, m.fresh, out);
  } else if (auto holder = peers_.find(id); holder != peers_.end()) {
    connections_.at(holder->second).token = newToken();
    takeOver(conn, c, holder->second, m.fresh, out);
  } else {
    c.greeted = true;
    c.id = id;
    c.token = m.token.empty() || !isValidResumeToken(m.token) ? newToken() : m.token;
    peers_[c.id] = conn;
    out.push_back({conn, welcomeFrame(c, false)});
  }
  c.claims = std::move(*claims);
  if (!c.room.empty()) noteChanged(c.room);  // its place has a new resume token
}

void Hub::helloWithoutJoinToken(ConnId conn, Connection& c, const Hello& m, std::vector<Outgoing>& out) {
  if (!m.token.empty() && holdsResumeToken(m.id, m.token)) {
    if (away_.contains(m.id)) return resume(conn, c, m.id, m.fresh, out);
    return takeOver(conn, c, peers_.at(m.id), m.fresh, out);
  }
  // One answer for a live id, an away one and a free one: the hello learns nothing about who is
  // on this server.
  ++stats_.tokenRequired;
  reject(conn, ErrorCode::TokenRequired,
         "asking for a peer id needs a join token for it (this server requires tokens), or its resume token",
         "hello", out);
}

bool Hub::admitByToken(ConnId conn, const Connection& c, const Join& m, const std::string& key, JoinClaims& claims,
                       bool& hasClaims, std::vector<Outgoing>& out) {
  hasClaims = false;
  if (!m.joinToken.empty()) {
    auto presented = verifiedClaims(conn, m.joinToken, "join", out);
    if (!presented) return false;
    if (presented->peerId != c.id) {
      ++stats_.tokensRefused;
      reject(conn, ErrorCode::InvalidToken,
             "the join token is for peer id " + presented->peerId + ", this connection is " + c.id, "join", out);
      return false;
    }
    claims = std::move(*presented);
    hasClaims = true;
  } else if (!c.claims.peerId.empty()) {
    claims = c.claims;
    hasClaims = true;
  }
  if (hasClaims && claims.room != key) {
    // A token for another room admits nowhere else it is needed; elsewhere the join goes on as
    // one without a token.
    hasClaims = false;
    if (!m.joinToken.empty() || (config_.verifyToken && (!isRoomCode(key) || config_.tokensForCodes))) {
      ++stats_.tokensRefused;
      reject(conn, ErrorCode::InvalidToken, "the join token is for room " + claims.room + ", not " + key, "join",
             out);
      return false;
    }
  }
  if (!m.joinToken.empty() && hasClaims) ++stats_.tokensAccepted;
  if (!hasClaims && config_.verifyToken && (!isRoomCode(key) || config_.tokensForCodes)) {
    ++stats_.tokenRequired;
    reject(conn, ErrorCode::TokenRequired,
           isRoomCode(key) ? "this server requires a join token for every room" : "room " + key + " needs a join token",
           "join", out);
    return false;
  }
  return true;
}

}  // namespace huddle
