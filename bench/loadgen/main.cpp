// huddle_loadgen: drives huddle-server (or the bare ws relay it is compared with) with many
// WebSocket clients in rooms and reports throughput, latency and the server's CPU and memory (or
// several servers' that share rooms through Redis, each room's members spread over them).
// See --help and bench/relay_compare.sh, which runs it against both servers.
//
// The main thread only plans, starts and times the run; the io threads (workload.hpp) do all the
// networking. Phases: connect everyone into rooms; then either hold them (--idle) or send for
// warm-up + duration and drain; then close every connection and report.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "options.hpp"
#include "report.hpp"
#include "stats.hpp"
#include "workload.hpp"

namespace {

using namespace loadgen;
using Clock = std::chrono::steady_clock;

constexpr auto kPoll = std::chrono::milliseconds(10);
// Deliveries still owed at the end of sending get this long to arrive before they count as lost.
constexpr auto kDrainLimit = std::chrono::seconds(3);
// Lets every worker arm its first tick before traffic starts.
constexpr auto kStartDelay = std::chrono::milliseconds(100);

std::int64_t ns(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// 10k connections need 10k descriptors; take whatever the hard limit allows.
void raiseFileLimit(int needed) {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0) return;
  r.rlim_cur = r.rlim_max;
  setrlimit(RLIMIT_NOFILE, &r);
  if (r.rlim_cur < static_cast<rlim_t>(needed) + 64) {
    std::fprintf(stderr, "huddle_loadgen: warning: open file limit %llu is low for %d connections\n",
                 static_cast<unsigned long long>(r.rlim_cur), needed);
  }
}

Watched sample(const Options& o) {
  Watched w;
  for (int pid : o.serverPids) w.servers.push_back(readProc(pid));
  if (o.redisPid > 0) w.redis = readProc(o.redisPid);
  return w;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string error;
  if (!parseOptions(std::vector<std::string>(argv + 1, argv + argc), o, error)) {
    if (error.empty()) {
      std::printf("%s", helpText().c_str());
      return 0;
    }
    std::fprintf(stderr, "huddle_loadgen: %s\n", error.c_str());
    return 2;
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(o.host, ec);
  if (ec) {
    std::fprintf(stderr, "huddle_loadgen: --host must be an IP address\n");
    return 2;
  }
  std::vector<tcp::endpoint> servers;
  for (int port : o.ports) servers.emplace_back(address, static_cast<unsigned short>(port));

  // Rooms of --room-size, the last one possibly smaller; whole rooms go to one worker each.
  std::vector<std::vector<RoomPlan>> plans(static_cast<std::size_t>(o.ioThreads));
  std::vector<int> clientsPerWorker(plans.size(), 0);
  for (int first = 0, number = 0; first < o.clients; first += o.roomSize, ++number) {
    const int members = std::min(o.roomSize, o.clients - first);
    if (members < 2 && o.idle == 0) {
      std::fprintf(stderr, "huddle_loadgen: --clients leaves a room of one; make it a multiple of --room-size\n");
      return 2;
    }
    const auto w = static_cast<std::size_t>(number % o.ioThreads);
    plans[w].push_back({static_cast<std::uint32_t>(number), members});
    clientsPerWorker[w] += members;
  }
  raiseFileLimit(o.clients);

  const std::uint32_t seed = std::random_device{}();
  std::vector<std::unique_ptr<Worker>> workers;
  for (std::size_t w = 0; w < plans.size(); ++w) {
    const double share = o.idle > 0 ? 0 : o.rate * clientsPerWorker[w] / o.clients;
    workers.push_back(std::make_unique<Worker>(o, servers, std::move(plans[w]), share, seed + static_cast<std::uint32_t>(w)));
  }

  RunFigures run;
  run.atStart = sample(o);
  const auto setupStart = Clock::now();
  for (auto& w : workers) w->start();

  // Wait for everyone to be in a room, a failure, or the timeout.
  std::string failure;
  for (;;) {
    int ready = 0;
    for (auto& w : workers) {
      ready += w->readyCount();
      if (w->failed() && failure.empty()) failure = w->failure();
    }
    if (!failure.empty() || ready == o.clients) break;
    if (Clock::now() - setupStart > std::chrono::duration<double>(o.setupTimeout)) {
      failure = "setup timed out: " + std::to_string(ready) + " of " + std::to_string(o.clients) + " clients in rooms";
      break;
    }
    std::this_thread::sleep_for(kPoll);
  }
  run.setupS = std::chrono::duration<double>(Clock::now() - setupStart).count();
  run.afterSetup = sample(o);

  if (failure.empty() && o.idle > 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(o.duration));
    run.atEnd = sample(o);
  } else if (failure.empty()) {
    const auto start = Clock::now() + kStartDelay;
    const auto measure = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup));
    const auto end = measure + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration));
    for (auto& w : workers) w->startTraffic({ns(start), ns(measure), ns(end)});
    std::this_thread::sleep_until(measure);
    run.atMeasure = sample(o);
    run.selfAtMeasure = readOwnCpu();
    std::this_thread::sleep_until(end);
    run.atEnd = sample(o);
    run.selfAtEnd = readOwnCpu();
    const auto drainStart = Clock::now();
    for (;;) {
      std::this_thread::sleep_for(kPoll);
      std::int64_t owed = 0;
      for (auto& w : workers) owed += w->inflight();
      if (owed <= 0 || Clock::now() - drainStart > kDrainLimit) break;
    }
  }

  for (auto& w : workers) w->shutdown();
  for (auto& w : workers) {
    w->join();
    run.counters.merge(w->counters());
  }
  if (!failure.empty()) {
    printFailure(o, failure);
    std::fprintf(stderr, "huddle_loadgen: %s\n", failure.c_str());
    return 1;
  }
  printReport(o, run);
  return 0;
}
