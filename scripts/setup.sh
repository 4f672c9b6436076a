#!/usr/bin/env bash
# Installs what huddle needs on Debian 12, idempotently: apt packages (only the missing ones) and
# npm packages (only when package-lock.json changed). Safe to run on every start and test.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(emscripten nlohmann-json3-dev libboost1.81-dev chromium libgtest-dev libgmock-dev
  libbenchmark-dev cmake g++ make zopfli libssl-dev)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages: reinstall only when the lock file is newer than the last install.
stamp=node_modules/.huddle-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
