// The server's protocol engine: connections, rooms, signaling and relay, with no I/O. The server
// feeds it events (a connection opened, a frame arrived, a connection closed) and performs the
// frames it returns. Not thread-safe: the caller serializes calls (huddle-server holds a mutex
// around each call and sends the returned frames after releasing it).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>


#include "huddle/address_limits.hpp"
#include "huddle/hub_stats.hpp"
#include "huddle/join_claims.hpp"
#include "huddle/limits.hpp"
#include "huddle/message.hpp"
#include "huddle/room.hpp"
#include "huddle/room_password.hpp"
#include "huddle/room_record.hpp"
#include "huddle/route.hpp"
#include "huddle/shared_frame.hpp"

namespace huddle {

using ConnId = std::uint64_t;

// Fills the span with cryptographically secure random bytes. Provided by the platform.
using RandomSource = std::function<void(std::span<std::uint8_t>)>;
// Monotonic milliseconds. Provided by the platform (a fake clock in tests).
using Clock = std::function<double()>;

struct HubConfig {
  int defaultRoomSize = limits::kDefaultRoomSize;
  int maxRoomSize = limits::kMaxRoomSizeCap;  // the largest maxMembers a create may ask for
  std::size_t maxRooms = 10000;                // server-wide cap on live rooms
  std::string iceServers = "[]";  // RTCIceServer[] as JSON text, passed to clients as written
  // How long a member whose connection dropped keeps its place (0: it leaves at once).
  double memberGraceMs = limits::kDefaultServerMemberGraceMs;
  // A room that only its creator ever joined, once all its members are away, keeps them this
  // long instead of memberGraceMs (never longer).
  double loneRoomGraceMs = limits::kDefaultLoneRoomGraceMs;
  // A room none of whose members was active this long is closed: its members get room_expired
  // (0: rooms never expire). Welcome announces it, so clients know how often to say they are.
  double roomIdleMs = limits::kDefaultRoomIdleMs;
  // What one connection may send (the transport enforces it; welcome announces it).
  RateLimits rate;
  // What one address may do, whichever connection does it (welcome announces the relay budget).
  AddressLimitConfig perAddress;
  // Signed join tokens (docs/tokens.md). Set (huddle-server: --auth-secret): named rooms need a
  // token for them, a peer id can only be asked for with a token for it (or resumed with its
  // resume token), and a valid token takes an id's place over from whoever holds it. Unset:
  // tokens are refused with invalid_token, ids and names are first come, first served.
  TokenVerifier verifyToken;
  // With verifyToken: rooms joined by code need a token for that code too, and create needs one.
  bool tokensForCodes = false;
  // Hashes room passwords (create/join with `password`). Unset: a room cannot get a password
  // (such a create or join is refused with internal, nothing is kept in the clear).
  PasswordHasher hashPassword;
};

// A connection another node greeted (its gateway; docs/cluster.md), handed to this node because
// its room lives here, with the identity the gateway checked.
struct Attached {
  PeerId id;
  std::string token;   // its resume token, as the gateway's welcome gave it
  bool fresh = false;  // its hello's: a page with no state for the id (a reload)
  JoinClaims claims;   // what its hello's join token granted (peerId empty: none)
};

// One frame to send to one connection. A broadcast's Outgoings share one frame.
struct Outgoing {
  ConnId to = 0;
  SharedFrame frame;
};

class Hub {
 public:
  Hub(HubConfig config, RandomSource random, Clock clock);

  // A new transport connection; it must send hello first. `address` names who it comes from, for
  // the limits per address ("" in tests that do not care: then all such connections are one).
  void connect(ConnId conn, std::string address = {});
  // One text frame from a connection. Returns the frames to send as a consequence.
  std::vector<Outgoing> receive(ConnId conn, std::string_view text);
  // The same, appending to `out` (a vector the caller reuses, so a frame costs no allocation here).
  void receive(ConnId conn, std::string_view text, std::vector<Outgoing>& out);
  // The transport is gone (closed, failed, or dropped by the heartbeat). A room member becomes
  // away for memberGraceMs (others get peer_away) and may resume with its token; otherwise, or
  // after that, others are told it left with `reason`.
  std::vector<Outgoing> disconnect(ConnId conn, LeaveReason reason);
  // Ends the grace of away members whose time is up, closes rooms idle for roomIdleMs, and
  // forgets addresses that owe nothing. Call it about once a second.
  std::vector<Outgoing> expireAway();

  // Whether connection `conn` has been welcomed: the Hub accepted a hello on it. It stays so
  // when a newer connection took its peer id over (it did say hello, and its transport closes it
  // in its own time); false for a connection the Hub does not know (never connected, or gone).
  // The server's hello deadline asks it.
  bool greeted(ConnId conn) const;

  const HubStats& stats() const { return stats_; }
  const HubConfig& config() const { return config_; }

  // ---- connections greeted by another node (hub_attach.cpp, docs/cluster.md) -------------------
  // Takes `who` on as if its hello had come here: it resumes an away member or takes a live one
  // over when its resume token (or its join token) proves the id, or gets the id when nobody here
  // holds it. No welcome goes out (its gateway sent one) and its token stays the gateway's. A
  // claim it cannot prove is refused with peer_id_taken.
  std::vector<Outgoing> attach(ConnId conn, std::string address, const Attached& who);
  // The identity a gateway hands over: that of a greeted connection in no room; nullopt otherwise.
  std::optional<Attached> attachable(ConnId conn) const;
  // Whether a room of this key (a code or a name, as joins name it once normalized) is live here.
  bool hasRoom(std::string_view key) const { return rooms_.find(std::string(key)) != rooms_.end(); }

  // ---- the room directory (huddle-server --redis; hub_directory.cpp, docs/cluster.md) ------------
  // From now on, rooms whose record changes (a member in or out, a resume token replaced, a
  // member's activity, the room closed) are noted for takeRoomChanges. Off by default: a server
  // without a directory pays nothing.
  void recordRoomChanges() { recordChanges_ = true; }
  bool hasRoomChanges() const { return !changed_.empty(); }
  // The rooms changed since the last call, each once, with its record now (none: it is gone).
  std::vector<RoomChange> takeRoomChanges();
  // Every live room's record, for writing the directory again whole.
  std::vector<RoomRecord> roomRecords() const;
  // Gives back rooms a previous process recorded. Every member is away (for the room's grace,
  // from now) holding its place, id and resume token, so its hello resumes it and the host stays
  // host. Records whose key is live here, that hold an id live here, or that do not check out
  // (sizes, keys, ids, names, tokens, join orders) are skipped, each with a line in `skipped`.
  // Returns how many rooms came back.
  std::size_t restoreRooms(const std::vector<RoomRecord>& records, std::vector<std::string>& skipped);

 // ---- limits per address across nodes (huddle-server --redis; docs/cluster.md) -----------------
  // From now on, what the limits per address charge is noted for takeAddressCharges().
  void shareAddressCharges() { addresses_.recordCharges(); }
  // What this Hub charged since the last call, for the other nodes (AddressLimits::takeCharges).
  std::vector<AddressCharge> takeAddressCharges(std::size_t maxAddresses) {
    return addresses_.takeCharges(maxAddresses);
  }
  // Other nodes' charges, charged here too (HubStats::remoteCharges, remoteChargesDropped).
  void applyAddressCharges(const std::vector<AddressCharge>& charges);

 private:
  struct Connection {
    std::string address;  // who it comes from (Hub::connect), as AddressLimits counts it
    bool greeted = false;
    // A newer connection took its peer id over (takeOver): it is greeted-less again, but was
    // welcomed once (Hub::greeted).
    bool replaced = false;
    PeerId id;
    std::string token;  // proves ownership of `id` to a later hello
    std::string room;   // "" when not in a room
    // Resumed by a fresh page (a reload): peer_back goes to the others when it joins its room.
    bool announceWhenJoined = false;
    // What the hello's join token granted (peerId empty: no token).
    JoinClaims claims;
    bool fresh = false;  // the hello's (Hello::fresh), for handing the connection to another node
    bool statsReported = false;  // a stats frame came since it entered its room (one is taken)
  };

  void handle(ConnId conn, Connection& c, const ClientMessage& msg, std::vector<Outgoing>& out);
  // handle() once the connection may send `msg`: to the on* handler of its type.
  void dispatch(ConnId conn, Connection& c, const ClientMessage& msg, std::vector<Outgoing>& out);
  void onHello(ConnId, Connection&, const Hello&, std::vector<Outgoing>&);
  // hub_client_stats.cpp: a member's report of how its paths settled, counted into HubStats once
  // per room it enters.
  void onStats(ConnId, Connection&, const Stats&, std::vector<Outgoing>&);
  // A hello asking for an id a live connection holds, with the right token: the newer
  // connection takes the identity and the room membership over; the older one is told so.
  // `welcome` false: the connection was greeted elsewhere (attach).
  void takeOver(ConnId conn, Connection& c, ConnId oldConn, bool fresh, std::vector<Outgoing>& out,
                bool welcome = true);
  // A hello with the id and token of an away member: the connection becomes that member again.
  void resume(ConnId conn, Connection& c, const PeerId& id, bool fresh, std::vector<Outgoing>& out,
              bool welcome = true);
  // hub_tokens.cpp: a hello with a join token. The id it names becomes c's, taking the place over
  // from an away member or a live connection (their resume token stops working).
  void helloWithJoinToken(ConnId, Connection&, const Hello&, std::vector<Outgoing>&);
  // With tokens required, a hello asking for an id without a join token: only its resume token
  // can get it, and every other case gets the same token_required (whether the id is live or not).
  void helloWithoutJoinToken(ConnId, Connection&, const Hello&, std::vector<Outgoing>&);
  // Whether `token` is the resume token of the away member or live connection holding `id`.
  bool holdsResumeToken(const PeerId& id, std::string_view token) const;
  // The claims that admit c to the room `key` (from the join's own token or the hello's), with
  // whether the server requires them there. false after rejecting.
  bool admitByToken(ConnId, const Connection&, const Join&, const std::string& key, JoinClaims& claims,
                    bool& hasClaims, std::vector<Outgoing>&);
  // Checks a presented join token; nullopt after rejecting (invalid_token, token_expired).
  std::optional<JoinClaims> verifiedClaims(ConnId, std::string_view token, const char* ref, std::vector<Outgoing>&);
  // The room a join names, created when it is missing and the join allows it, or entered when its
  // password lets the join in (admitByPassword: `vouched`, `waited`); nullptr after rejecting.
  Room* roomForJoin(ConnId, const Connection&, const Join&, const std::string& key, bool vouched, bool waited,
                    std::vector<Outgoing>&);
  // welcome for c, with what it may send (and its address may relay).
  std::string welcomeFrame(const Connection& c, bool resumed) const;
  // maxMembers 0: the configured default; password "": none. nullptr after rejecting (bad size,
  // server full, a password and no hasher).
  Room* createRoom(ConnId, const std::string& code, int maxMembers, bool relayOnly, const std::string& password,
                   const char* ref, std::vector<Outgoing>&);
  // hub_password.cpp: whether the room can keep a password (a hasher is set); rejects if not.
  bool canKeepPassword(ConnId, const std::string& password, const char* ref, std::vector<Outgoing>&);
  // Gives a fresh room its password's salted hash ("" : none).
  void protect(Room& room, const std::string& password);
  // Whether join m may enter `room` as far as its password goes: a room without one, a join the
  // site vouched for with a token for this room (`vouched`), or the right password. A join that
  // has not yet waited out its address's failed-join backoff (`waited` false) waits it here. A
  // wrong or missing password is wrong_password and counts as a failed join of the address.
  bool admitByPassword(ConnId, const Connection&, const Room& room, const Join& m, bool vouched, bool waited,
                       std::vector<Outgoing>&);
  void onCreate(ConnId, Connection&, const Create&, std::vector<Outgoing>&);
  void moveOnFromHeldPlace(Connection& c, std::vector<Outgoing>& out);
  void onJoin(ConnId, Connection&, const Join&, std::vector<Outgoing>&);
  // Relay, signal and ping frames, whichever decoder read them: readRoute on the hot path, or the
  // full decoder, whose structs become a Route. Payloads are JSON text, copied into the outgoing
  // frames as they are.
  void forward(ConnId, const Connection&, const Route&, std::vector<Outgoing>&);
  // Relay frames cost their sender's address the bytes of every frame they make (a broadcast to
  // 7 costs 7 frames); over its budget, nothing goes and the sender gets rate_limited.
  void relay(ConnId, const Connection&, const RouteRelay&, std::vector<Outgoing>&);
  // `frame` to member `to` of c's room, counted in `counter`; refused (peer_not_in_room, or
  // frame_too_large) to the sender otherwise.
  void sendTo(ConnId, const Connection&, std::string_view to, SharedFrame frame, const char* ref,
              std::uint64_t& counter, std::vector<Outgoing>&);
  // A frame as the members will get it, unless it would be larger than a client accepts (the
  // payload with a longer envelope around it): then the sender is told, and nullopt.
  std::optional<SharedFrame> fits(ConnId, SharedFrame frame, const char* ref, std::vector<Outgoing>&);
  // `rank`: the join order to restore (Join::rank), when the room takes it now; 0 otherwise.
  void enterRoom(ConnId, Connection&, Room&, const std::string& name, const char* ref, std::vector<Outgoing>&,
                 std::uint64_t rank = 0);
  void leaveRoom(Connection&, LeaveReason, std::vector<Outgoing>&);
  void removeMember(const PeerId& id, const std::string& roomCode, LeaveReason, std::vector<Outgoing>&);
  // The connection of `peer` when it is in c's room, is not c itself and is not away; nullopt
  // otherwise. c must be in a room.
  std::optional<ConnId> otherMember(const Connection& c, std::string_view peer) const;
  void reject(ConnId, ErrorCode, std::string message, std::string ref, std::vector<Outgoing>&,
              double retryMs = 0);
  // Whether c's address has `cost` of `limit` left; if not, the frame is refused with
  // rate_limited and the time until it has.
  bool withinLimit(ConnId, const Connection&, AddressLimit, double cost, const char* ref, std::vector<Outgoing>&);
  // How long a member leaving `room` as away keeps its place.
  double graceFor(const Room& room, const PeerId& leaving) const;
  void broadcast(const Room&, const PeerId& except, SharedFrame frame, std::vector<Outgoing>&);
  // hub_directory.cpp: notes that room `key`'s record changed (with recordRoomChanges on).
  void noteChanged(const std::string& key) {
    if (recordChanges_) changed_.insert(key);
  }
  RoomRecord recordOf(const Room& room) const;
  // Why `record` cannot come back ("" : it can).
  std::string unrestorable(const RoomRecord& record) const;
  std::string newUniqueCode();
  PeerId newPeerId();
  std::string newToken();

  // A member whose connection dropped, keeping its place until `until`.
  using Rooms = std::map<std::string, Room>;
  // Closes a room idle past roomIdleMs: its connected members get room_expired and stay welcomed,
  // its away members are forgotten. Returns the next room.
  Rooms::iterator closeIdleRoom(Rooms::iterator it, std::vector<Outgoing>& out);

  struct AwayMember {
    std::string token;
    std::string room;
    LeaveReason reason;
    double until;
    bool host = false;  // it was its room's host when its connection dropped (HubStats::hostAway)
  };
  // An away member's grace is over (`back`: it resumed; otherwise it left or its room closed).
  void endAway(const AwayMember& member, bool back);
  // A room is gone (erased by the caller): counts it out and observes its histograms.
  void noteRoomClosed(const Room& room);

  HubConfig config_;
  RandomSource random_;
  Clock clock_;
  std::unordered_map<ConnId, Connection> connections_;
  std::map<PeerId, ConnId, std::less<>> peers_;  // members and greeted connections with a live transport
  std::map<PeerId, AwayMember> away_;  // ids held by away members
  Rooms rooms_;
  AddressLimits addresses_;
  HubStats stats_;
  bool rejectedThisFrame_ = false;  // framesRejected counts a frame once, however many errors it got
  ErrorCode firstRejection_ = ErrorCode::Internal;  // the first error this frame got, when rejectedThisFrame_
  bool recordChanges_ = false;
  std::set<std::string> changed_;  // keys of rooms whose record changed since takeRoomChanges
};

}  // namespace huddle
