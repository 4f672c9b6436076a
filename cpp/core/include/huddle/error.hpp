// Expected failures in huddle are values, not exceptions: an ErrorCode with a stable wire name
// and a human-readable message. The wire names are part of the protocol (docs/protocol.md);
// never rename one, only add.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace huddle {

enum class ErrorCode {
  // Frame-level validation (codec).
  BadJson,          // frame is not valid JSON
  BadFrame,         // valid JSON, but a field is missing, has the wrong type or is out of range
  UnknownType,      // "t" names no message of this protocol
  FrameTooLarge,    // frame exceeds limits::kMaxFrameBytes
  // Session order.
  UnsupportedVersion,  // hello carried a protocol version this side does not speak
  HelloRequired,       // first frame was not hello
  NotInRoom,           // frame needs room membership (signal, relay, leave)
  AlreadyInRoom,       // create/join while already a member
  // Rooms.
  RoomNotFound,
  RoomFull,
  InvalidCode,   // not 6 characters of the room-code alphabet
  InvalidName,   // empty, too long, or contains control characters
  NameTaken,     // another member of the room already uses this name
  InvalidRoomSize,
  PeerNotInRoom,  // signal/relay/sendTo addressed to someone outside the room
  ServerFull,     // server-wide room or connection cap reached
  RateLimited,    // too many frames in too short a time
  // Client side.
  ServerUnreachable,  // the signaling connection could not be opened or was lost
  SendQueueFull,      // the bounded queue towards a peer is full; the message was not accepted
  DataInvalid,        // app data is not JSON-compatible or too large
  LinkFailed,         // no longer reported: a failed link hands its member to the relay (kept: codes are only added)
  ProtocolViolation,  // the remote side broke the protocol (e.g. an answer nobody asked for)
  Internal,
  // Identity (appended: wire names are append-only).
  InvalidPeerId,    // a requested peer id or resume token is not of the allowed form
  PeerIdTaken,      // another live connection holds this peer id (and the token did not match)
  SessionReplaced,  // this peer id was resumed by a newer connection (e.g. the same tab reloaded)
  // File transfer (appended; reported by the TypeScript library, web/src/lib/files.ts, never on
  // the wire between client and server).
  FileTooLarge,   // a file over the library's size cap (MAX_FILE_BYTES); nothing was sent
  FileCancelled,  // the sender or the recipient cancelled a transfer, or the recipient declined it
  FileCorrupt,    // what arrived does not match the offer (sizes, chunks or SHA-256)
  FileStalled,    // a transfer made no progress for a long time (the other page reloaded or froze)
  // Signed join tokens (appended; docs/tokens.md).
  InvalidToken,   // a join token that is malformed, signed with no secret the server accepts, or for another room
  TokenExpired,   // a join token whose expiry has passed
  TokenRequired,  // the server requires a join token for this room (--auth-secret) and none came
  // Room expiry (appended).
  RoomExpired,  // the server closed the room: none of its members was active for its idle timeout
  // Room passwords (appended; docs/protocol.md "Room passwords").
  WrongPassword,  // the room needs a password and the join brought none, or another one
  // Requests between members (appended; docs/protocol.md "Requests").
  RequestTimeout,   // no answer came within the request's timeout
  RequestFailed,    // the member's request handler threw (the error carries its message)
  NoHandler,        // the member has no request handler
  TooManyRequests,  // too many requests pending, ours (kMaxPendingRequests) or the member's (kMaxIncomingRequests)
  // Replicated room state (appended; docs/protocol.md "Room state").
  StateTooLarge,  // a write would take the room state past limits::kMaxStateBytes or kMaxStateKeys
  // Game sync (appended; docs/protocol.md "Game sync").
  NotHost,  // a host-only game sync call (publishing a snapshot) made by a member that is not the host
  // Several servers (appended; docs/cluster.md).
  ServiceUnavailable,  // what was asked needs the server's Redis, which it cannot reach now: try again
};

// The stable wire name, e.g. "room_not_found".
std::string_view errorCodeName(ErrorCode code);

// Every code, in wire order (huddle-codegen writes them out for TypeScript).
const std::vector<ErrorCode>& allErrorCodes();

// Reverse of errorCodeName; false when the name is unknown (e.g. from a newer server).
bool errorCodeFromName(std::string_view name, ErrorCode& out);

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
};

// A value or an Error. Small on purpose: std::expected is C++23 and not in Emscripten's libc++.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}        // NOLINT(google-explicit-constructor)
  Result(ErrorCode code, std::string message) : v_(Error{code, std::move(message)}) {}

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const Error& error() const { return std::get<Error>(v_); }

 private:
  std::variant<T, Error> v_;
};

// For operations that return nothing on success.
struct Ok {};
using Status = Result<Ok>;

}  // namespace huddle
