// A ClientObserver that keeps every event it is told, in order, for assertions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "huddle/client.hpp"

namespace huddle::testing {

class RecordingObserver : public ClientObserver {
 public:
  struct Received {
    PeerId from;
    nlohmann::json data;
    MessageMeta meta;
  };
  struct LinkChange {
    PeerId peer;
    LinkState state;
  };

  void onStatus(SessionStatus s) override { statuses.push_back(s); }
  void onWelcome(const PeerId& self) override { welcomes.push_back(self); }
  void onRoomJoined(const RoomJoined& r) override { roomsJoined.push_back(r); }
  void onPeerJoined(const PeerInfo& p) override { peersJoined.push_back(p); }
  void onPeerLeft(const PeerId& id, LeaveReason reason) override { peersLeft.emplace_back(id, reason); }
  void onHostChanged(const PeerId& host) override { hosts.push_back(host); }
  void onPeerAway(const PeerId& id) override { away.push_back(id); }
  void onPeerBack(const PeerId& id) override { back.push_back(id); }
  void onLinkState(const PeerId& peer, LinkState state) override { linkChanges.push_back({peer, state}); }
  void onTransport(const PeerId& peer, Transport t) override { transports.emplace_back(peer, t); }
  void onLinkRtt(const PeerId& peer, double rttMs) override { rtts.emplace_back(peer, rttMs); }
  // Kept as a value (the text parsed), so tests compare what the app would get.
  void onMessage(const PeerId& from, std::string_view data, const MessageMeta& meta) override {
    auto value = nlohmann::json::parse(data, nullptr, false);
    if (value.is_discarded()) ADD_FAILURE() << "message data is not JSON: " << data;
    messages.push_back({from, std::move(value), meta});
  }
  void onDelivered(const PeerId& to, std::uint64_t id) override { delivered.emplace_back(to, id); }
  void onRequest(const PeerId& from, std::uint64_t id, std::string_view data) override {
    requests.push_back({from, id, nlohmann::json::parse(data, nullptr, false)});
  }
  void onResponse(std::uint64_t id, std::string_view data) override {
    responses.emplace_back(id, nlohmann::json::parse(data, nullptr, false));
  }
  void onRequestFailed(std::uint64_t id, const Error& e) override { requestsFailed.emplace_back(id, e); }
  void onStateFrame(const PeerId& from, std::string_view frame) override { stateFrames.emplace_back(from, frame); }
  void onGameFrame(const PeerId& from, std::string_view frame) override { gameFrames.emplace_back(from, frame); }
  void onError(const Error& e) override { errors.push_back(e); }
  void onLog(std::string_view line) override { logs.emplace_back(line); }

  std::vector<ErrorCode> errorCodes() const {
    std::vector<ErrorCode> out;
    for (const auto& e : errors) out.push_back(e.code);
    return out;
  }

  std::vector<SessionStatus> statuses;
  std::vector<PeerId> welcomes;
  std::vector<RoomJoined> roomsJoined;
  std::vector<PeerInfo> peersJoined;
  std::vector<std::pair<PeerId, LeaveReason>> peersLeft;
  std::vector<PeerId> hosts;
  std::vector<PeerId> away;
  std::vector<PeerId> back;
  std::vector<LinkChange> linkChanges;
  std::vector<std::pair<PeerId, Transport>> transports;
  std::vector<std::pair<PeerId, double>> rtts;
  std::vector<Received> messages;
  std::vector<std::pair<PeerId, std::uint64_t>> delivered;
  struct Asked {
    PeerId from;
    std::uint64_t id;
    nlohmann::json data;
  };
  std::vector<Asked> requests;
  std::vector<std::pair<std::uint64_t, nlohmann::json>> responses;
  std::vector<std::pair<std::uint64_t, Error>> requestsFailed;
  std::vector<std::pair<PeerId, std::string>> stateFrames;
  std::vector<std::pair<PeerId, std::string>> gameFrames;
  std::vector<Error> errors;
  std::vector<std::string> logs;
};

}  // namespace huddle::testing
