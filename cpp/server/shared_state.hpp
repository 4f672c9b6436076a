// What every session of one server shares: the Hub (the protocol engine, behind a mutex), the
// registry of live sessions, the connection caps (in total and per address), the Origin policy,
// transport counters, the static file map and the experiences.
//
// Locking rule (DESIGN.md "Server"): the Hub runs under mutex_, and the frames it returns are
// handed to sessions after mutex_ is released. Sessions are looked up (weak_ptr -> shared_ptr)
// under the lock; WebSocketSession::send only appends to the session's hand-off list (posting one
// flush to its strand when none is pending). A second mutex, taken before mutex_ is released,
// keeps the hand-offs in Hub order, so with several I/O threads a member still sees e.g. two
// host_changed frames in the order the Hub decided them.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "huddle/hub.hpp"
#include "huddle/shared_frame.hpp"
#include "server/address.hpp"
#include "server/app_page.hpp"
#include "server/config.hpp"
#include "server/experiences.hpp"
#include "server/log.hpp"
#include "server/metrics.hpp"
#include "server/origin_policy.hpp"
#include "server/remote_connections.hpp"
#include "server/static_files.hpp"

namespace huddle::server {

class WebSocketSession;
class HttpSession;
class RoomDirectory;
class NodeLink;
struct NodeMessage;
class UsageExchange;

class SharedState : public std::enable_shared_from_this<SharedState> {
 public:
  explicit SharedState(ServerConfig config);
  SharedState(const SharedState&) = delete;
  SharedState& operator=(const SharedState&) = delete;

  const ServerConfig& config() const { return config_; }
  const StaticFiles& staticFiles() const { return staticFiles_; }
  const Experiences& experiences() const { return experiences_; }
  const AppPage& appPage() const { return appPage_; }

  // Who a request comes from, for the limits per address: addressKey() of the TCP peer, or of
  // the client a trusted proxy names in X-Forwarded-For (address.hpp, clientAddress).
  std::string addressOf(const net::ip::address& peer, std::string_view forwardedFor) const;
  // Whether a page of `origin` may open /ws with this Host header (origin_policy.hpp). A refusal
  // is counted.
  bool originAllowed(std::string_view origin, std::string_view host);

  // Why a connection was not admitted.
  enum class Refusal {
    None,
    Stopping,        // shutting down
    ServerFull,      // a server-wide cap (maxConnections, maxHttpConnections): 503
    AddressFull,     // a per-address cap: 429
  };
  struct Admission {
    std::optional<std::uint64_t> id;  // set when admitted
    Refusal refusal = Refusal::None;
  };

  // ---- WebSocket connections: reserve -> (activate | release) -> ... -> disconnect ----------
  // Claims a slot before the WebSocket handshake, for a client from `address` (addressOf()).
  // Refused when stopping, at maxConnections or at maxConnectionsPerAddress for that address.
  Admission reserve(std::string address);
  // The handshake succeeded: registers the session and tells the Hub. False when the server
  // started stopping meanwhile; the slot is then released and the caller closes (going_away).
  bool activate(ConnId id, const std::weak_ptr<WebSocketSession>& session);
  // The handshake failed: frees the slot.
  void release(ConnId id);
  // One text frame from an activated connection; the Hub's answers are sent to their sessions.
  void receive(ConnId id, std::string_view text);
  // An activated connection ended (counted as `end`); the others in its room are told with `reason`.
  void disconnect(ConnId id, LeaveReason reason, ConnectionEnd end);
  // Away members whose grace is over leave their rooms (the server calls this every second).
  void expireAway();
  // Whether the connection has been welcomed (Hub::greeted: the Hub accepted its hello); false
  // once it is gone.
  bool welcomed(ConnId id) const;

  // ---- plain HTTP connections (capped in total and per address; tracked so shutdown can close
  // idle keep-alives) ---------------------------------------------------------------------------
  // Admits a connection from `address` (addressKey() of the TCP peer; "" for a trusted proxy,
  // which has no per-address cap: its clients are told apart at the upgrade). Refused when
  // stopping, at maxHttpConnections or at maxHttpConnectionsPerAddress.
  Admission addHttp(const std::weak_ptr<HttpSession>& session, std::string address);
  void removeHttp(std::uint64_t id);
  // True when `peer` is one of the trusted proxies.
  bool isTrustedProxy(const net::ip::address& peer) const;

  // Stops admitting connections and closes every session (WebSockets with going_away).
  void shutdown();

  // ---- the room directory (--redis; room_directory.hpp) -------------------------------------
  // Before any connection: from now on the rooms that change go to `directory`.
  void attachDirectory(std::shared_ptr<RoomDirectory> directory);
  // Rooms read from the directory, given back to the Hub (Hub::restoreRooms); how many came back.
  std::size_t restoreRooms(std::vector<RoomRecord> records);
  // Every live room's record, with what the directory had queued dropped (it is all in here).
  std::vector<RoomRecord> roomSnapshot();

  // ---- members on other nodes (--redis; shared_state_cluster.cpp, docs/cluster.md) -----------
  // Before any connection, after attachDirectory: joins of rooms another node holds go there.
  void attachLink(std::shared_ptr<NodeLink> link);
  // What another node sent this one (NodeLink's reader).
  void onNodeMessage(NodeMessage m);
  // Every second: connections handed to, or taken from, a node whose lease lapsed are ended.
  void checkNodes();

  // ---- limits per address across nodes (--redis; shared_state_usage.cpp, docs/cluster.md) ----
  // Before any connection: from now on the Hub notes what it charges, and the caps per address
  // count the connections other nodes report.
  void attachUsage(std::shared_ptr<UsageExchange> usage);
  // Every kUsageReportInterval: publishes what the Hub charged since, and this node's connections
  // per address when they changed (at least every second, so other nodes keep counting them).
  void reportUsage();
  // Another node's report (UsageExchange's reader): its charges are charged here too, its
  // connections counted against the caps per address.
  void onUsageReport(const std::string& node, std::string_view text);

  // ---- counters -----------------------------------------------------------------------------
  void noteBinaryRejected();
  void noteRateLimited();
  void noteSlowClientClosed();
  void noteHeartbeatTimeout();
  void noteHelloTimeout();
  void noteRequestTimeout();
  StatsSnapshot stats() const;

  // A connection event on stderr, unless logging is off, in the configured format (log.hpp). Never
  // pass payloads, tokens, passwords or client addresses.
  void log(std::string_view line, const LogFields& fields = {}) const;

 private:
  // Under `lock`: a frame of a connection handed to another node goes there; a join of a room
  // this node does not hold, from a connection it could hand over, is held while the directory
  // says where the room is (and so are the frames after it). True when `text` was taken (`lock`
  // may then be released).
  bool routedElsewhere(ConnId id, std::string_view text, std::unique_lock<std::mutex>& lock);
  void located(ConnId id, std::optional<std::string> owner, std::optional<std::string> record);
  // Frames this node has for connections another node's gateway holds (under mutex_).
  void sendRemote(ConnId to, const SharedFrame& frame);
  // Under mutex_: the live session of a connection (nullptr: gone), and where it comes from ("").
  std::shared_ptr<WebSocketSession> sessionOf(ConnId id) const;
  std::string connectionAddress(ConnId id) const;
  // As an owner, under mutex_: hands connection `rid` back to its gateway when frame `m` is a join
  // it cannot make here (it is in no room, and the room is not held here). True when it did.
  bool handBack(ConnId rid, const NodeMessage& m);
  // Ends connections whose other node is gone (checkNodes).
  void forgetNodes(const std::vector<std::string>& dead);
  // Hands `out` (emptied) to its sessions, releasing hubLock first. The rooms the Hub changed go
  // to the directory first, still under the lock, so in the Hub's order.
  void dispatch(std::vector<Outgoing>& out, std::unique_lock<std::mutex>& hubLock);

  const ServerConfig config_;
  const StaticFiles staticFiles_;
  const AppPage appPage_;
  const Experiences experiences_;
  const std::chrono::steady_clock::time_point started_;

  mutable std::mutex mutex_;     // guards everything below
  std::mutex handOffMutex_;      // orders hand-offs to sessions; see the file comment
  Hub hub_;
  // Reused for every frame, so forwarding one allocates nothing here.
  std::vector<Outgoing> out_;  // guarded by mutex_
  std::vector<std::pair<std::shared_ptr<WebSocketSession>, SharedFrame>> targets_;  // guarded by handOffMutex_
  struct Slot {
    std::weak_ptr<WebSocketSession> session;  // empty until activated
    std::string address;                      // who it comes from (reserve())
  };
  // Erases a WebSocket slot and gives its address's count back.
  void eraseSlot(std::map<ConnId, Slot>::iterator it);
  struct HttpSlot {
    std::weak_ptr<HttpSession> session;
    std::string address;  // "" for a trusted proxy (not counted per address)
  };
  std::map<ConnId, Slot> sessions_;
  std::map<std::uint64_t, HttpSlot> httpSessions_;
  // Open connections per address (addressKey()), for the per-address caps; entries at 0 go.
  using PerAddress = std::unordered_map<std::string, std::size_t>;
  PerAddress wsPerAddress_;
  PerAddress httpPerAddress_;
  // One kind of connection's caps, and the counter each refusal adds to (nullptr: none; a plain
  // HTTP connection refused while stopping is not counted, a WebSocket upgrade is).
  struct Caps {
    std::size_t total;
    std::size_t perAddress;
    std::uint64_t* stoppingRefused;
    std::uint64_t* serverFullRefused;
    std::uint64_t* addressFullRefused;
  };
  // Under mutex_: whether one more connection from `address` may open beside the `open` ones of
  // its kind (checked in this order: stopping, caps.total, caps.perAddress). Admitted, it is
  // counted in `perAddress` (an address "" is not: a trusted proxy's); refused, the refusal is
  // counted as `caps` says.
  // `elsewhere`: the connections of its kind other nodes report from `address` (RemoteConnections).
  Refusal admit(std::size_t open, const std::string& address, PerAddress& perAddress, const Caps& caps,
                std::size_t elsewhere);
  // Gives back the count admit() took for `address`.
  void giveBack(PerAddress& perAddress, const std::string& address);
  // Milliseconds since this state was made (the Hub's clock).
  double nowMs() const;
  // The usage reports' counters, for stats() (takes mutex_).
  void usageStats(DirectoryStats& d) const;
  const OriginPolicy origins_;
  std::vector<Network> trustedProxies_;
  ConnId nextConnId_ = 1;
  std::uint64_t nextHttpId_ = 1;
  bool stopping_ = false;
  TransportStats transport_;
  // Set before any connection (attachDirectory) and never changed: read without the lock.
  std::shared_ptr<RoomDirectory> directory_;
  std::shared_ptr<NodeLink> link_;
  // As a gateway: connections whose room another node holds (to that node), and the frames of
  // connections waiting to learn where their room is.
  std::unordered_map<ConnId, std::string> pipedTo_;
  std::unordered_map<ConnId, std::vector<std::string>> held_;
  // As an owner: connections other nodes handed over, numbered here, and the other way round.
  struct Remote {
    std::string node;
    std::uint64_t conn = 0;
  };
  std::unordered_map<ConnId, Remote> remotes_;
  std::map<std::pair<std::string, std::uint64_t>, ConnId> remoteIds_;
  // Connections handed back to their gateway (handBack), until when frames of theirs still on the
  // way are sent back too. Long enough for any stream backlog; swept every second (checkNodes).
  static constexpr double kReleasedMs = 10000;
  std::map<std::pair<std::string, std::uint64_t>, double> released_;
  // Limits across nodes (set before any connection, like link_): other nodes' connections per
  // address; whether this node's changed since it last reported them, and when that was.
  std::shared_ptr<UsageExchange> usage_;
  RemoteConnections remoteConnections_;
  bool countsChanged_ = false;
  double countsReportedMs_ = -1e18;
  std::uint64_t usageReportsRejected_ = 0;  // reports that did not decode
};

}  // namespace huddle::server
