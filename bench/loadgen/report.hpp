// Turns one run's measurements into figures: one JSON line (for scripts) and a short table.
#pragma once

#include <string>

#include "options.hpp"
#include "stats.hpp"

namespace loadgen {

struct RunFigures {
  double setupS = 0;           // first connect to every client in its room
  ProcSample serverAtStart;    // before connecting
  ProcSample serverAfterSetup; // everyone in a room
  ProcSample serverAtMeasure;  // traffic: start of the measured window
  ProcSample serverAtEnd;      // traffic: end of the window; idle: end of the hold
  OwnCpu selfAtMeasure;
  OwnCpu selfAtEnd;
  Counters counters;           // every worker's, merged
};

// Prints the JSON line and the table to stdout.
void printReport(const Options& options, const RunFigures& run);

// Prints {"label":..., "error":...} to stdout, for a run that could not be set up.
void printFailure(const Options& options, const std::string& error);

}  // namespace loadgen
