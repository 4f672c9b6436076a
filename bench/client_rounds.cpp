// A fixed number of client round trips, for counting instructions with callgrind, which gives the
// same count on a busy machine as on an idle one (timings here vary by 2x). Run by
// bench/instructions.sh: a member of a room of six broadcasts a chat message and gets the five
// acks (and, on direct links, a message from each) N times, over direct links or the relay.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "huddle/client.hpp"
#include "huddle/codec.hpp"
#include "huddle/limits.hpp"
#include "huddle/peer_message.hpp"

#include "bench_port.hpp"

using namespace huddle;
int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 1000;
  bool relay = argc > 2 && std::string(argv[2]) == "relay";
  bench::BenchPort port;
  ClientObserver observer;
  Client c(ClientConfig{}, port, observer);
  (void)c.joinRoom("ABC234", "Me");
  c.onSignalingOpen();
  c.onSignalingFrame(encode(ServerMessage{Welcome{1, "SELF", "[]", limits::kMaxFrameBytes, "", false}}));
  std::vector<PeerInfo> members;
  for (int i = 1; i <= 6; ++i) members.push_back({i == 6 ? "SELF" : "P" + std::to_string(i), "m" + std::to_string(i), static_cast<std::uint64_t>(i)});
  c.onSignalingFrame(encode(ServerMessage{RoomJoined{"ABC234", "SELF", "P1", 6, members, relay}}));
  if (!relay) for (int i = 1; i <= 5; ++i) c.onLinkOpen("P" + std::to_string(i));
  std::uint64_t seq = 0;
  for (int k = 0; k < n; ++k) {
    port.now += 30;
    (void)c.send(R"({"type":"chat","text":"hello there"})");
    ++seq;
    for (int i = 1; i <= 5; ++i) {
      if (relay) {
        std::string acks = "[" + encode(Ack{seq}) + "]";
        c.onSignalingFrame(encode(ServerMessage{RelayIn{"P" + std::to_string(i), seq, false, acks}}));
      } else {
        c.onLinkFrame("P" + std::to_string(i), encode(Ack{seq}));
        AppMessage m{seq, seq, port.now, true, R"({"x":)" + std::to_string(k) + "}"};
        c.onLinkFrame("P" + std::to_string(i), encode(m));
      }
    }
  }
  std::printf("%s\n", port.last.substr(0, 20).c_str());
}
