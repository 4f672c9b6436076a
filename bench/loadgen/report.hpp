// Turns one run's measurements into figures: one JSON line (for scripts) and a short table.
#pragma once

#include <string>
#include <vector>

#include "options.hpp"
#include "stats.hpp"

namespace loadgen {

// The processes a run watches, at one moment: each --server-pid in order, and --redis-pid.
struct Watched {
  std::vector<ProcSample> servers;
  ProcSample redis;
};

struct RunFigures {
  double setupS = 0;        // first connect to every client in its room
  Watched atStart;          // before connecting
  Watched afterSetup;       // everyone in a room
  Watched atMeasure;        // traffic: start of the measured window
  Watched atEnd;            // traffic: end of the window; idle: end of the hold
  OwnCpu selfAtMeasure;
  OwnCpu selfAtEnd;
  Counters counters;           // every worker's, merged
};

// Prints the JSON line and the table to stdout.
void printReport(const Options& options, const RunFigures& run);

// Prints {"label":..., "error":...} to stdout, for a run that could not be set up.
void printFailure(const Options& options, const std::string& error);

}  // namespace loadgen
