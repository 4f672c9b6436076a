#!/usr/bin/env bash
# Installs what huddle needs on Debian 12, idempotently: apt packages (only the missing ones) and
# npm packages (only when package-lock.json changed). Safe to run on every start and test.
# Arguments are more apt packages (npm test adds the fuzzers' compiler).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(emscripten nlohmann-json3-dev libboost1.81-dev chromium libgtest-dev libgmock-dev
  libbenchmark-dev cmake g++ make zopfli libssl-dev redis-server libhiredis-dev)
bash scripts/apt_install.sh "${APT_PACKAGES[@]}" "$@"

# npm packages: reinstall only when the lock file is newer than the last install.
stamp=node_modules/.huddle-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
