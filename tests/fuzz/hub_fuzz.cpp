// A whole Hub driven by several connections at once. The input is a script of lines:
//   "+"           the clock moves 10 s on and away members expire,
//   "-" DIGIT     connection DIGIT%4 drops and a new one takes its place (same address),
//   DIGIT FRAME   connection DIGIT%4 sends FRAME (the rest of the line).
// Connections 0 and 1 share an address, so per-address limits are in play. After every step the
// Hub must stay consistent: counted frames, rejections within them, every output to a live
// connection and valid JSON within the frame limit.
#include <array>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "fakes/fake_random.hpp"
#include "fuzz_check.hpp"
#include "huddle/hub.hpp"

namespace {

using namespace huddle;

constexpr std::size_t kSlots = 4;
constexpr std::size_t kMaxSteps = 256;  // keeps one input fast

void checkOutput(const std::vector<Outgoing>& out, const std::unordered_set<ConnId>& live) {
  for (const Outgoing& o : out) {
    HUDDLE_FUZZ_CHECK(live.count(o.to) == 1);
    HUDDLE_FUZZ_CHECK(o.frame.size() <= limits::kMaxFrameBytes);
    // nlohmann/json checks the Hub's writer independently; accept() builds no tree (a fast run).
    HUDDLE_FUZZ_CHECK(nlohmann::json::accept(o.frame.view()));
    HUDDLE_FUZZ_CHECK(o.frame.view().starts_with(R"({"t":")"));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  double now = 0;
  HubConfig config;
  config.perAddress.maxAddresses = 2;  // small, so the address table fills and evicts
  Hub hub(config, huddle::testing::seededRandom(1), [&now] { return now; });
  const std::array<std::string, kSlots> addresses = {"10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.3"};
  std::array<ConnId, kSlots> slots{};
  std::unordered_set<ConnId> live;
  ConnId nextId = 1;
  for (std::size_t i = 0; i < kSlots; ++i) {
    slots[i] = nextId++;
    hub.connect(slots[i], addresses[i]);
    live.insert(slots[i]);
  }
  std::uint64_t sent = 0;
  std::string_view script = fuzz::asText(data, size);
  for (std::size_t step = 0; step < kMaxSteps && !script.empty(); ++step) {
    std::size_t end = script.find('\n');
    std::string_view line = script.substr(0, end);
    script = end == std::string_view::npos ? std::string_view{} : script.substr(end + 1);
    if (line.empty()) continue;
    std::vector<Outgoing> out;
    if (line[0] == '+') {
      now += 10'000;
      out = hub.expireAway();
    } else if (line[0] == '-' && line.size() >= 2) {
      std::size_t slot = static_cast<unsigned char>(line[1]) % kSlots;
      live.erase(slots[slot]);
      out = hub.disconnect(slots[slot], LeaveReason::Disconnected);
      slots[slot] = nextId++;
      hub.connect(slots[slot], addresses[slot]);
      live.insert(slots[slot]);
    } else {
      std::size_t slot = static_cast<unsigned char>(line[0]) % kSlots;
      hub.receive(slots[slot], line.substr(1), out);
      ++sent;
    }
    now += 1;
    checkOutput(out, live);
    const HubStats& s = hub.stats();
    HUDDLE_FUZZ_CHECK(s.framesIn == sent);
    HUDDLE_FUZZ_CHECK(s.framesRejected <= s.framesIn);
    HUDDLE_FUZZ_CHECK(s.connections == live.size());
    HUDDLE_FUZZ_CHECK(s.awayMembers <= s.members);
    HUDDLE_FUZZ_CHECK(s.rooms <= s.roomsCreated);
  }
  return 0;
}
