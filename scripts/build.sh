#!/usr/bin/env bash
# Builds everything the app needs: huddle-server and huddle-codegen (native, optimized), the
# benchmarks (so they keep compiling), the Wasm client, and the web app. The C++ tests are built
# by scripts/test.sh, under the sanitizers. Incremental: rerunning only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${HUDDLE_JOBS:-$(nproc)}"
# Each phase is stamped with the clock, so a log shows where the time went.
phase() { echo "$1 [$(date +%T)]"; }

phase "build: native (huddle-server, huddle-codegen, benchmarks)"
[ -f build/native/CMakeCache.txt ] || cmake --preset native >/dev/null
cmake --build build/native -j"$JOBS" --target huddle-server huddle-codegen huddle_core_bench huddle_client_rounds

phase "build: generated TypeScript (web/src/generated/core.ts, from the C++ core)"
mkdir -p web/src/generated
build/native/cpp/codegen/huddle-codegen ts web/src/generated/core.ts

phase "build: wasm client"
# Emscripten 3.1.6 from Debian resolves its JS tools (acorn) through NODE_PATH.
export NODE_PATH=/usr/share/nodejs
[ -f build/wasm/CMakeCache.txt ] || emcmake cmake --preset wasm >/dev/null
cmake --build build/wasm -j"$JOBS"
for f in huddle_client.js huddle_client.wasm; do
  cmp -s "build/wasm/cpp/wasm/$f" "web/src/generated/$f" || cp "build/wasm/cpp/wasm/$f" web/src/generated/
done
cmp -s cpp/wasm/huddle_client.d.ts web/src/generated/huddle_client.d.ts || cp cpp/wasm/huddle_client.d.ts web/src/generated/

phase "build: library types (build/types)"
node_modules/.bin/tsc -p web/tsconfig.lib.json
mkdir -p build/types/generated && cp cpp/wasm/huddle_client.d.ts build/types/generated/

phase "build: web app"
node_modules/.bin/vite build --config web/vite.config.ts --logLevel warn

phase "build: embed scripts (web/dist/huddle.js, web/dist/p2p.js)"
# After the app build, which empties web/dist; these two only add files.
node_modules/.bin/vite build --config web/vite.embed.config.ts --logLevel warn
node_modules/.bin/vite build --config web/vite.p2p.config.ts --logLevel warn
