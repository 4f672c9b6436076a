#include "report.hpp"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace loadgen {
namespace {

using nlohmann::ordered_json;

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

// CPU seconds a process spent between two samples.
double cpuBetween(const ProcSample& from, const ProcSample& to) {
  return to.userS + to.systemS - from.userS - from.systemS;
}

// Both samples of every watched server were read.
bool serversRead(const Options& o, const Watched& from, const Watched& to) {
  return !o.serverPids.empty() && sumSamples(from.servers).ok && sumSamples(to.servers).ok;
}

bool redisRead(const Options& o, const Watched& from, const Watched& to) {
  return o.redisPid > 0 && from.redis.ok && to.redis.ok;
}

ordered_json header(const Options& o) {
  ordered_json j;
  j["label"] = o.label;
  j["protocol"] = o.protocol == Protocol::Huddle ? "huddle" : "ws";
  j["mode"] = o.idle > 0 ? "idle" : o.mode == Mode::Directed ? "directed" : "broadcast";
  j["clients"] = o.clients;
  j["room_size"] = o.roomSize;
  j["servers"] = o.ports.size();
  j["io_threads"] = o.ioThreads;
  return j;
}

}  // namespace

void printFailure(const Options& options, const std::string& error) {
  ordered_json j = header(options);
  j["error"] = error;
  std::printf("%s\n", j.dump().c_str());
}

void printReport(const Options& o, const RunFigures& run) {
  ordered_json j = header(o);
  const Counters& c = run.counters;
  j["setup_s"] = round3(run.setupS);
  const bool server = serversRead(o, run.atStart, run.atEnd);
  const bool perServer = server && o.serverPids.size() > 1;
  const ProcSample serverAtStart = sumSamples(run.atStart.servers);
  const ProcSample serverAtEnd = sumSamples(run.atEnd.servers);

  if (o.idle > 0) {
    j["connect_s"] = round3(run.setupS);
    if (server) {
      j["server_connect_cpu_s"] = round3(cpuBetween(serverAtStart, sumSamples(run.afterSetup.servers)));
      j["server_rss_before_kb"] = serverAtStart.rssKb;
      j["server_rss_after_kb"] = serverAtEnd.rssKb;
      j["rss_per_conn_kb"] = round3(static_cast<double>(serverAtEnd.rssKb - serverAtStart.rssKb) / o.clients);
    }
    if (perServer) {
      ordered_json procs = ordered_json::array();
      for (std::size_t k = 0; k < o.serverPids.size(); ++k) {
        procs.push_back({{"pid", o.serverPids[k]},
                         {"connect_cpu_s", round3(cpuBetween(run.atStart.servers[k], run.afterSetup.servers[k]))},
                         {"rss_before_kb", run.atStart.servers[k].rssKb},
                         {"rss_after_kb", run.atEnd.servers[k].rssKb}});
      }
      j["server_procs"] = procs;
    }
    const bool redis = redisRead(o, run.atStart, run.atEnd);
    if (redis) {
      j["redis_connect_cpu_s"] = round3(cpuBetween(run.atStart.redis, run.afterSetup.redis));
      j["redis_rss_after_kb"] = run.atEnd.redis.rssKb;
    }
    j["closed_by_server"] = c.closedByServer;
    std::printf("%s\n", j.dump().c_str());
    std::printf("%-28s %d clients in %.3f s\n", "connected", o.clients, run.setupS);
    if (server) {
      std::printf("%-28s %ld -> %ld kB (%.2f kB per connection)\n", "server RSS", serverAtStart.rssKb,
                  serverAtEnd.rssKb, j["rss_per_conn_kb"].get<double>());
    }
    if (perServer) {
      for (const auto& p : j["server_procs"]) {
        std::printf("%-28s %ld -> %ld kB, connecting took %.3f s CPU\n", ("  pid " + std::to_string(p["pid"].get<int>())).c_str(),
                    p["rss_before_kb"].get<long>(), p["rss_after_kb"].get<long>(), p["connect_cpu_s"].get<double>());
      }
    }
    if (redis) {
      std::printf("%-28s %ld kB, connecting took %.3f s CPU\n", "redis RSS", run.atEnd.redis.rssKb,
                  j["redis_connect_cpu_s"].get<double>());
    }
    return;
  }

  const double seconds = o.duration;
  j["payload_bytes"] = o.payloadBytes;
  j["rate_target"] = o.rate;
  if (o.rate == 0) j["window"] = o.window;
  j["duration_s"] = o.duration;
  j["warmup_s"] = o.warmup;
  j["sent"] = c.sentWindow;
  j["delivered"] = c.deliveredWindow;
  j["sent_per_s"] = std::round(static_cast<double>(c.sentWindow) / seconds);
  j["delivered_per_s"] = std::round(static_cast<double>(c.deliveredWindow) / seconds);
  // The rest are over the whole run (warm-up and drain included): sent, delivered, refused, and
  // the deliveries that neither arrived nor were refused.
  j["sent_total"] = c.sent;
  j["delivered_total"] = c.delivered;
  const std::uint64_t accounted = c.delivered + c.refusedDeliveries;
  j["lost"] = c.expected > accounted ? c.expected - accounted : 0;
  j["refused"] = c.refused;
  ordered_json errors = ordered_json::object();
  for (const auto& [code, n] : c.errors.items()) errors[code] = n;
  j["errors"] = errors;
  j["skipped"] = c.skipped;
  j["closed_by_server"] = c.closedByServer;
  auto us = [](std::uint64_t ns) { return std::round(static_cast<double>(ns) / 100.0) / 10.0; };
  j["lat_count"] = c.latency.count();
  j["lat_p50_us"] = us(c.latency.quantile(0.50));
  j["lat_p90_us"] = us(c.latency.quantile(0.90));
  j["lat_p99_us"] = us(c.latency.quantile(0.99));
  j["lat_max_us"] = us(c.latency.max());
  if (o.ports.size() > 1) {
    for (std::size_t h = 0; h < c.latencyByHops.size(); ++h) {
      const Histogram& l = c.latencyByHops[h];
      const std::string key = "lat_hops" + std::to_string(h);
      j[key + "_count"] = l.count();
      j[key + "_p50_us"] = us(l.quantile(0.50));
      j[key + "_p99_us"] = us(l.quantile(0.99));
    }
  }
  const double per100k = c.deliveredWindow > 0 ? 1e5 / static_cast<double>(c.deliveredWindow) : 0;
  const bool measured = serversRead(o, run.atMeasure, run.atEnd);
  const ProcSample serverAtMeasure = sumSamples(run.atMeasure.servers);
  double serverCpu = 0;
  if (measured) {
    const double user = serverAtEnd.userS - serverAtMeasure.userS;
    const double sys = serverAtEnd.systemS - serverAtMeasure.systemS;
    serverCpu = user + sys;
    j["server_user_s"] = round3(user);
    j["server_sys_s"] = round3(sys);
    j["server_cpu_s"] = round3(user + sys);
    j["server_cpu_per_100k_delivered"] = round3((user + sys) * per100k);
    j["server_cpu_per_100k_sent"] =
        c.sentWindow > 0 ? round3((user + sys) * 1e5 / static_cast<double>(c.sentWindow)) : 0.0;
    j["server_user_share"] = user + sys > 0 ? round3(user / (user + sys)) : 0.0;
    j["server_rss_kb"] = serverAtEnd.rssKb;
  }
  if (measured && o.serverPids.size() > 1) {
    ordered_json procs = ordered_json::array();
    for (std::size_t k = 0; k < o.serverPids.size(); ++k) {
      const ProcSample& from = run.atMeasure.servers[k];
      const ProcSample& to = run.atEnd.servers[k];
      procs.push_back({{"pid", o.serverPids[k]},
                       {"user_s", round3(to.userS - from.userS)},
                       {"sys_s", round3(to.systemS - from.systemS)},
                       {"cpu_per_100k_delivered", round3(cpuBetween(from, to) * per100k)},
                       {"rss_kb", to.rssKb}});
    }
    j["server_procs"] = procs;
  }
  const bool redis = redisRead(o, run.atMeasure, run.atEnd);
  if (redis) {
    const double user = run.atEnd.redis.userS - run.atMeasure.redis.userS;
    const double sys = run.atEnd.redis.systemS - run.atMeasure.redis.systemS;
    j["redis_user_s"] = round3(user);
    j["redis_sys_s"] = round3(sys);
    j["redis_cpu_s"] = round3(user + sys);
    j["redis_cpu_per_100k_delivered"] = round3((user + sys) * per100k);
    j["redis_rss_kb"] = run.atEnd.redis.rssKb;
    if (measured) j["total_cpu_per_100k_delivered"] = round3((serverCpu + user + sys) * per100k);
  }
  const double genUser = run.selfAtEnd.userS - run.selfAtMeasure.userS;
  const double genSys = run.selfAtEnd.systemS - run.selfAtMeasure.systemS;
  j["gen_user_s"] = round3(genUser);
  j["gen_sys_s"] = round3(genSys);
  j["gen_cores"] = round3((genUser + genSys) / seconds);
  j["gen_cpu_per_100k_delivered"] = round3((genUser + genSys) * per100k);
  std::printf("%s\n", j.dump().c_str());

  std::printf("%-26s %.0f msg/s sent, %.0f/s delivered (target %s)\n", "rate", j["sent_per_s"].get<double>(),
              j["delivered_per_s"].get<double>(), o.rate > 0 ? std::to_string(static_cast<long>(o.rate)).c_str() : "saturation");
  std::printf("%-26s p50 %.1f  p90 %.1f  p99 %.1f  max %.1f us\n", "latency", j["lat_p50_us"].get<double>(),
              j["lat_p90_us"].get<double>(), j["lat_p99_us"].get<double>(), j["lat_max_us"].get<double>());
  std::printf("%-26s lost %llu, refused %llu %s, skipped %llu\n", "losses", static_cast<unsigned long long>(j["lost"].get<std::uint64_t>()),
              static_cast<unsigned long long>(c.refused), errors.dump().c_str(), static_cast<unsigned long long>(c.skipped));
  if (o.ports.size() > 1) {
    std::printf("%-26s", "latency by hops");
    for (std::size_t h = 0; h < c.latencyByHops.size(); ++h) {
      const std::string key = "lat_hops" + std::to_string(h);
      std::printf("  %zu: p50 %.1f p99 %.1f us", h, j[key + "_p50_us"].get<double>(), j[key + "_p99_us"].get<double>());
    }
    std::printf("\n");
  }
  if (measured) {
    std::printf("%-26s user %.2f s, sys %.2f s, %.3f s per 100k delivered, user share %.2f\n", "server CPU",
                j["server_user_s"].get<double>(), j["server_sys_s"].get<double>(),
                j["server_cpu_per_100k_delivered"].get<double>(), j["server_user_share"].get<double>());
  }
  if (j.contains("server_procs")) {
    for (const auto& p : j["server_procs"]) {
      std::printf("%-26s user %.2f s, sys %.2f s, %.3f s per 100k delivered\n",
                  ("  pid " + std::to_string(p["pid"].get<int>())).c_str(), p["user_s"].get<double>(),
                  p["sys_s"].get<double>(), p["cpu_per_100k_delivered"].get<double>());
    }
  }
  if (redis) {
    std::printf("%-26s user %.2f s, sys %.2f s, %.3f s per 100k delivered\n", "redis CPU",
                j["redis_user_s"].get<double>(), j["redis_sys_s"].get<double>(),
                j["redis_cpu_per_100k_delivered"].get<double>());
    if (measured) {
      std::printf("%-26s %.3f s per 100k delivered\n", "servers + redis CPU",
                  j["total_cpu_per_100k_delivered"].get<double>());
    }
  }
  std::printf("%-26s %.2f cores, %.3f s per 100k delivered\n", "generator CPU", j["gen_cores"].get<double>(),
              j["gen_cpu_per_100k_delivered"].get<double>());
}

}  // namespace loadgen
