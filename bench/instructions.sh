#!/usr/bin/env bash
# Prints the instructions one client round costs (bench/client_rounds.cpp), over direct links and
# over the relay, counted by callgrind: repeatable to a fraction of a percent on a shared machine,
# where timings are not. Compare two builds by running it in each. Needs valgrind and a native build.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/native/bench/huddle_client_rounds
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
[ -x "$bin" ] || { echo "build first: cmake --build build/native --target huddle_client_rounds" >&2; exit 1; }
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 | awk '/Collected/ {print $4}'; }
printf '%-8s %22s\n' path 'instructions per round'
for path in direct relay; do
  # The difference of two runs cancels start-up and joining.
  few=$(count 200 "$path"); many=$(count 1200 "$path")
  printf '%-8s %22d\n' "$path" $(((many - few) / 1000))
done
