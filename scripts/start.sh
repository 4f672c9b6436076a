#!/usr/bin/env bash
# npm start: set up, build, and serve the app on http://127.0.0.1:8080 (HUDDLE_HOST/HUDDLE_PORT
# or flags after `npm start --` change that; see `build/native/cpp/server/huddle-server --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
# Pages of any origin may open /ws here, unless HUDDLE_ALLOWED_ORIGINS says otherwise: npm start
# is a server for trying huddle on this machine, where a newcomer's first embedding page is on
# another port (a dev server) or a file:// page (Origin: null), and both should just work. A
# deployment runs huddle-server itself, whose default is its own origin only (docs/security.md).
export HUDDLE_ALLOWED_ORIGINS="${HUDDLE_ALLOWED_ORIGINS-*}"
exec build/native/cpp/server/huddle-server --static-dir web/dist "$@"
