#!/usr/bin/env bash
# npm start: set up, build, and serve the app on http://127.0.0.1:8080 (HUDDLE_HOST/HUDDLE_PORT
# or flags after `npm start --` change that; see `build/native/cpp/server/huddle-server --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec build/native/cpp/server/huddle-server --static-dir web/dist "$@"
