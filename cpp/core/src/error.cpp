#include "huddle/error.hpp"

#include <array>
#include <utility>

namespace huddle {
namespace {

// The wire names, in ErrorCode order. Part of the protocol: only ever append.
constexpr std::array<std::pair<ErrorCode, std::string_view>, 42> kNames{{
    {ErrorCode::BadJson, "bad_json"},
    {ErrorCode::BadFrame, "bad_frame"},
    {ErrorCode::UnknownType, "unknown_type"},
    {ErrorCode::FrameTooLarge, "frame_too_large"},
    {ErrorCode::UnsupportedVersion, "unsupported_version"},
    {ErrorCode::HelloRequired, "hello_required"},
    {ErrorCode::NotInRoom, "not_in_room"},
    {ErrorCode::AlreadyInRoom, "already_in_room"},
    {ErrorCode::RoomNotFound, "room_not_found"},
    {ErrorCode::RoomFull, "room_full"},
    {ErrorCode::InvalidCode, "invalid_code"},
    {ErrorCode::InvalidName, "invalid_name"},
    {ErrorCode::NameTaken, "name_taken"},
    {ErrorCode::InvalidRoomSize, "invalid_room_size"},
    {ErrorCode::PeerNotInRoom, "peer_not_in_room"},
    {ErrorCode::ServerFull, "server_full"},
    {ErrorCode::RateLimited, "rate_limited"},
    {ErrorCode::ServerUnreachable, "server_unreachable"},
    {ErrorCode::SendQueueFull, "send_queue_full"},
    {ErrorCode::DataInvalid, "data_invalid"},
    {ErrorCode::LinkFailed, "link_failed"},
    {ErrorCode::ProtocolViolation, "protocol_violation"},
    {ErrorCode::Internal, "internal"},
    {ErrorCode::InvalidPeerId, "invalid_peer_id"},
    {ErrorCode::PeerIdTaken, "peer_id_taken"},
    {ErrorCode::SessionReplaced, "session_replaced"},
    {ErrorCode::FileTooLarge, "file_too_large"},
    {ErrorCode::FileCancelled, "file_cancelled"},
    {ErrorCode::FileCorrupt, "file_corrupt"},
    {ErrorCode::FileStalled, "file_stalled"},
    {ErrorCode::InvalidToken, "invalid_token"},
    {ErrorCode::TokenExpired, "token_expired"},
    {ErrorCode::TokenRequired, "token_required"},
    {ErrorCode::RoomExpired, "room_expired"},
    {ErrorCode::WrongPassword, "wrong_password"},
    {ErrorCode::RequestTimeout, "request_timeout"},
    {ErrorCode::RequestFailed, "request_failed"},
    {ErrorCode::NoHandler, "no_handler"},
    {ErrorCode::TooManyRequests, "too_many_requests"},
    {ErrorCode::StateTooLarge, "state_too_large"},
    {ErrorCode::NotHost, "not_host"},
    {ErrorCode::ServiceUnavailable, "service_unavailable"},
}};

}  // namespace

std::string_view errorCodeName(ErrorCode code) {
  for (const auto& [c, name] : kNames) {
    if (c == code) return name;
  }
  return "internal";
}

const std::vector<ErrorCode>& allErrorCodes() {
  static const std::vector<ErrorCode> all = [] {
    std::vector<ErrorCode> out;
    for (const auto& [c, name] : kNames) out.push_back(c);
    return out;
  }();
  return all;
}

bool errorCodeFromName(std::string_view name, ErrorCode& out) {
  for (const auto& [c, n] : kNames) {
    if (n == name) {
      out = c;
      return true;
    }
  }
  return false;
}

}  // namespace huddle
