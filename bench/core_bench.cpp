// Throughput of the core's hot paths: decoding/encoding frames, the hub forwarding a signal and
// fanning out a relay frame, the reliable stream's send/ack/receive cycle, and a client sending
// through the relay. Figures, not pass/fail checks.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "huddle/client.hpp"
#include "huddle/codec.hpp"
#include "huddle/hub.hpp"
#include "huddle/peer_message.hpp"
#include "huddle/reliable_stream.hpp"

#include "bench_port.hpp"

// Every allocation in this program is counted, so a benchmark can report allocations per item.
// (GCC pairs the replaced operators with malloc/free it sees inlined and warns; they do match.)
// Not under AddressSanitizer (npm test compiles the benchmarks there, to keep them compiling):
// it brings its own operator new, and the counts would read 0.
std::atomic<std::uint64_t> gAllocations{0};
#ifndef __SANITIZE_ADDRESS__
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

namespace {

using namespace huddle;

// Deterministic bytes: benchmarks measure the core, not the kernel's CSPRNG.
RandomSource counterRandom() {
  return [n = std::uint64_t{0}](std::span<std::uint8_t> out) mutable {
    for (auto& b : out) b = static_cast<std::uint8_t>((++n * 2654435761u) >> 13);
  };
}

std::string candidateSignal(const std::string& to) {
  return R"({"t":"signal","to":")" + to +
         R"(","data":{"kind":"ice_candidate","candidate":"candidate:842163049 1 udp 1677729535 4f6e1c2a-6b1d-4f4e-9e31-0c3a1f2b7d44.local 54321 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sK1d network-cost 999","sdpMid":"0","sdpMLineIndex":0}})";
}

void BM_DecodeSignal(benchmark::State& state) {
  std::string frame = candidateSignal("ABCDEFGHJK");
  for (auto _ : state) benchmark::DoNotOptimize(decodeClientMessage(frame));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_DecodeSignal);

void BM_DecodeAppMessage(benchmark::State& state) {
  std::string frame = encode(PeerMessage{AppMessage{42, 7, 1.7e12, true, R"({"type":"game_move","data":{"x":10,"y":20}})"}});
  for (auto _ : state) benchmark::DoNotOptimize(decodePeerMessage(frame));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_DecodeAppMessage);

void BM_RejectGarbage(benchmark::State& state) {
  std::string frame(static_cast<std::size_t>(state.range(0)), '[');
  for (auto _ : state) benchmark::DoNotOptimize(decodeClientMessage(frame));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_RejectGarbage)->Arg(1024)->Arg(64 * 1024);

// A room of 6 in `hub`; returns the members' ids (connection n is ids[n-1]).
std::vector<PeerId> roomOfSix(Hub& hub) {
  std::vector<PeerId> ids;
  std::string code;
  for (ConnId c = 1; c <= 6; ++c) {
    hub.connect(c);
    auto welcome = decodeServerMessage(hub.receive(c, R"({"t":"hello","v":1})").front().frame);
    ids.push_back(std::get<Welcome>(welcome.value()).id);
    std::string name = "m" + std::to_string(c);
    auto out = c == 1 ? hub.receive(c, R"({"t":"create","name":")" + name + "\"}")
                      : hub.receive(c, R"({"t":"join","code":")" + code + R"(","name":")" + name + "\"}");
    if (c == 1) code = std::get<RoomJoined>(decodeServerMessage(out.front().frame).value()).code;
  }
  return ids;
}

// A room of 6; member 0 sends ICE candidates to member 1 through the hub.
void BM_HubForwardSignal(benchmark::State& state) {
  Hub hub(HubConfig{}, counterRandom(), [] { return 0.0; });
  std::vector<PeerId> ids = roomOfSix(hub);
  std::string frame = candidateSignal(ids[1]);
  for (auto _ : state) benchmark::DoNotOptimize(hub.receive(1, frame));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HubForwardSignal);

// A room of 6; member 0's relay frame carries a chat message (msg + ack) to each of the other 5.
void BM_HubRelayFanOut(benchmark::State& state) {
  Hub hub(HubConfig{}, counterRandom(), [] { return 0.0; });
  std::vector<PeerId> ids = roomOfSix(hub);
  RelayOut relay;
  relay.seq = 1;
  for (std::size_t i = 1; i < ids.size(); ++i) {
    AppMessage m{i, 7, 1.7e12, true, R"({"type":"chat","text":"hello there"})"};
    relay.parts.push_back({ids[i], "[" + encode(m) + "," + encode(Ack{3}) + "]"});
  }
  std::string frame = encode(ClientMessage{relay});
  for (auto _ : state) benchmark::DoNotOptimize(hub.receive(1, frame));
  state.SetItemsProcessed(state.iterations() * 5);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(frame.size()));
}
BENCHMARK(BM_HubRelayFanOut);

// A room of 6; member 0 relays a 214-byte ICE-candidate-like string to member 1 (the load
// generator's workload). Arg 0: the hot path (huddle/route.hpp); arg 1: the same frame through
// the full decoder (an escaped key sends it there), i.e. how every frame was read before.
void BM_HubRelayDirected(benchmark::State& state) {
  Hub hub(HubConfig{}, counterRandom(), [] { return 0.0; });
  std::vector<PeerId> ids = roomOfSix(hub);
  std::string data = "\"candidate:" + std::string(200, 'x') + "\"";
  std::string to = state.range(0) == 0 ? "to" : "\\u0074o";
  std::string frame = R"({"t":"relay",")" + to + R"(":")" + ids[1] + R"(","seq":1,"data":)" + data + "}";
  std::vector<Outgoing> out;  // reused, as huddle-server does
  std::uint64_t before = gAllocations.load();
  for (auto _ : state) {
    out.clear();
    hub.receive(1, frame, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["allocs/msg"] =
      static_cast<double>(gAllocations.load() - before) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HubRelayDirected)->Arg(0)->Arg(1);

// A member of a relay-only room of 6 broadcasts a chat message; the relay frame for all 5 others
// is built and sent (one per 25 ms at most, so the clock moves on), and the acks come back.
void BM_ClientRelayBroadcast(benchmark::State& state) {
  bench::BenchPort port;
  ClientObserver observer;
  Client client(ClientConfig{}, port, observer);
  (void)client.joinRoom("ABC234", "Me");
  client.onSignalingOpen();
  client.onSignalingFrame(encode(ServerMessage{Welcome{1, "SELF", "[]", limits::kMaxFrameBytes, "", false}}));
  std::vector<PeerInfo> members;
  for (int i = 1; i <= 6; ++i) members.push_back({i == 6 ? "SELF" : "P" + std::to_string(i), "m" + std::to_string(i), static_cast<std::uint64_t>(i)});
  client.onSignalingFrame(encode(ServerMessage{RoomJoined{"ABC234", "SELF", "P1", 6, members, true}}));
  std::uint64_t seq = 0;
  for (auto _ : state) {
    port.now += 30;
    benchmark::DoNotOptimize(client.send(R"({"type":"chat","text":"hello there"})"));
    ++seq;
    for (int i = 1; i <= 5; ++i) {
      std::string acks = "[" + encode(Ack{seq}) + "]";
      client.onSignalingFrame(encode(ServerMessage{RelayIn{"P" + std::to_string(i), seq, false, acks}}));
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ClientRelayBroadcast);

// Send, deliver and acknowledge one message through a sender/receiver pair.
void BM_ReliableRoundTrip(benchmark::State& state) {
  ReliableSender sender;
  ReliableReceiver receiver;
  AppMessage message{0, 1, 0, true, R"({"x":1})"};
  for (auto _ : state) {
    auto sent = sender.push(message);
    auto outcome = receiver.accept(sent.value());
    benchmark::DoNotOptimize(sender.acknowledge(outcome.value().ack));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReliableRoundTrip);

}  // namespace
