#!/usr/bin/env bash
# npm test: set up, build, and run every suite: GoogleTest (under ASan+UBSan),
# Vitest (lib and app), and the end-to-end tests in headless Chromium. Stops at the first
# failing suite and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${HUDDLE_JOBS:-$(nproc)}"
# Each phase is stamped with the clock, so a log shows where the time went.
phase() { echo "$1 [$(date +%T)]"; }

bash scripts/setup.sh
bash scripts/build.sh

# The GoogleTest suites run once, under AddressSanitizer + UndefinedBehaviorSanitizer (-O1): every
# test with memory and undefined-behaviour checks on. The optimized huddle-server and Wasm client
# are what the end-to-end tests run. HUDDLE_SKIP_ASAN=1 runs the suites in the optimized tree instead.
if [ "${HUDDLE_SKIP_ASAN:-0}" != "1" ]; then
  phase "test: GoogleTest (AddressSanitizer + UndefinedBehaviorSanitizer)"
  tree=build/asan
  [ -f $tree/CMakeCache.txt ] || cmake --preset asan >/dev/null
else
  phase "test: GoogleTest (optimized build)"
  tree=build/native
fi
cmake --build $tree -j"$JOBS"
ctest --test-dir $tree --output-on-failure -j"$JOBS"

phase "test: typecheck"
node_modules/.bin/tsc -p web/tsconfig.json --noEmit

phase "test: Vitest"
mkdir -p build
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
phase "test: all suites passed"
