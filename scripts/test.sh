#!/usr/bin/env bash
# npm test: set up, build, and run every suite: GoogleTest (under ASan+UBSan), Vitest (lib and
# app), and the end-to-end tests in headless Chromium, while the libFuzzer targets build and run
# for 60 s beside them (scripts/fuzz.sh). Stops at the first failing suite and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${HUDDLE_JOBS:-$(nproc)}"
# Each phase is stamped with the clock, so a log shows where the time went.
phase() { echo "$1 [$(date +%T)]"; }

# Everything native is built once, under AddressSanitizer + UndefinedBehaviorSanitizer: the
# GoogleTest suites, and the huddle-server the Vitest and end-to-end suites run against (so real
# browser traffic is checked for memory errors too). HUDDLE_SKIP_ASAN=1 uses the optimized tree.
tree=asan
[ "${HUDDLE_SKIP_ASAN:-0}" = "1" ] && tree=native
bash scripts/setup.sh clang-14 libclang-rt-14-dev # the fuzzers' compiler and runtime
if [ "$tree" = native ]; then
  HUDDLE_NATIVE_TREE=native bash scripts/build.sh
  cmake --build build/native -j"$JOBS" # the C++ tests too
else
  HUDDLE_NATIVE_TREE=asan bash scripts/build.sh
fi
export HUDDLE_SERVER_BIN="$PWD/build/$tree/cpp/server/huddle-server"

# The fuzz run goes beside the suites, niced and on one core: they leave about one core idle
# (the browser and the server of the end-to-end tests), which the fuzz tree's build and the 60 s
# run fill, instead of adding their ~3.5 minutes after them (docs/decisions.md).
mkdir -p build
# Its own process group (setsid), so a failing suite stops the whole of it.
HUDDLE_JOBS=1 setsid nice -n 10 bash scripts/fuzz.sh "${HUDDLE_FUZZ_SECONDS:-60}" >build/fuzz.log 2>&1 &
fuzz_pid=$!
trap 'kill -- "-$fuzz_pid" 2>/dev/null || true' EXIT

phase "test: GoogleTest (build/$tree)"
ctest --test-dir "build/$tree" --output-on-failure -j"$JOBS"

phase "test: typecheck"
node_modules/.bin/tsc -p web/tsconfig.json --noEmit

phase "test: Vitest"
set +e
node_modules/.bin/vitest run --config web/vitest.config.ts --reporter=default --reporter=json \
  --outputFile.json=build/vitest.json
vitest_status=$?
set -e
node -e '
  const r = require("./build/vitest.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);
'
[ "$vitest_status" -eq 0 ]

phase "test: end to end (headless Chromium)"
node tests/e2e/run.mjs
phase "test: waiting for the fuzz run (build/fuzz.log)"
if ! wait "$fuzz_pid"; then
  tail -n 80 build/fuzz.log
  echo "test: the fuzz run failed (full log: build/fuzz.log)"
  exit 1
fi
grep '^fuzz:' build/fuzz.log
phase "test: all suites passed"
