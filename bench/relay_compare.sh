#!/usr/bin/env bash
# huddle-server (--threads 1) against the bare Node ws relay (bench/ws_relay.mjs), under the same
# loads from huddle_loadgen. Every run gets a fresh server; huddle and ws runs alternate, so a
# neighbour's noise on this shared machine falls on both alike. Prints medians side by side and
# keeps every run's JSON line in build/bench/relay_compare.jsonl.
#   bench/relay_compare.sh [--quick] [--reps N] [--io-threads 1|2] [--window N] [--redis]
# --quick: one short repetition with 2000 idle connections, to check that it all works.
# --redis: huddle-server with --redis (a redis-server of its own, docs/cluster.md) against
# huddle-server without, instead of against the ws relay: what keeping rooms in Redis costs.
# --window: messages in flight per client at saturation (default 32). Against a near-free server the
# generator reaches ~130k msg/s on one core at 8 and ~480k at 32 (bigger batches); huddle-server
# passes 130k, so at 8 the generator, not the server, would be the limit.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0 reps=3 io=1 window=32 redis=0
while (($#)); do
  case $1 in
    --quick) quick=1 reps=1 ;;
    --reps) reps=$2; shift ;;
    --io-threads) io=$2; shift ;;
    --window) window=$2; shift ;;
    --redis) redis=1 ;;
    *) echo "usage: $0 [--quick] [--reps N] [--io-threads 1|2] [--window N] [--redis]" >&2; exit 2 ;;
  esac
  shift
done
if ((quick)); then warmup=0.5 duration=2 idle=2000 hold=1; else warmup=2 duration=8 idle=10000 hold=3; fi

server=build/native/cpp/server/huddle-server
gen=build/native/bench/huddle_loadgen
[ -d node_modules/ws ] || { echo "relay_compare: node_modules/ws is missing: run npm ci (or scripts/setup.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
srv_pid=""
redis_pid=""
cleanup() {
  if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; fi
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -f build/native/CMakeCache.txt ] || cmake --preset native >/dev/null
cmake --build build/native --target huddle-server huddle_loadgen -j2 >"$tmp/build" 2>&1 ||
  { cat "$tmp/build" >&2; exit 1; }

ulimit -n "$(ulimit -Hn)"  # 10k connections on each side
mkdir -p build/bench
out=build/bench/relay_compare.jsonl
: >"$out"

kinds=(huddle ws)
if ((redis)); then
  kinds=(redis huddle)
  redis_port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$tmp/redis" 2>&1 &
  redis_pid=$!
  for _ in $(seq 100); do grep -q 'Ready to accept' "$tmp/redis" && break; sleep 0.1; done
fi

# Starts a fresh server of kind $1 (huddle, redis: huddle with --redis, ws) on 127.0.0.1 and a free
# port; sets srv_pid and srv_port. Each redis run starts from an empty Redis. Every client comes
# from 127.0.0.1, so the limits per address are lifted (the ws relay has none).
start_server() {
  if [ "$1" = huddle ] || [ "$1" = redis ]; then
    local extra=()
    if [ "$1" = redis ]; then
      redis-cli -p "$redis_port" FLUSHALL >/dev/null
      extra=(--redis "redis://127.0.0.1:$redis_port/0")
    fi
    "$server" --host 127.0.0.1 --port 0 --threads 1 --quiet --max-connections 20000 --max-rooms 20000 \
      --max-frames-per-second 100000 --heartbeat-ms 600000 --max-connections-per-address 20000 --max-http-connections-per-address 20000 \
      --rooms-per-minute 1000000 --relay-bytes-per-second 100000000000 "${extra[@]}" >"$tmp/out" 2>"$tmp/err" &
  else
    node bench/ws_relay.mjs --port 0 >"$tmp/out" 2>"$tmp/err" &
  fi
  srv_pid=$!
  for _ in $(seq 100); do
    srv_port=$(sed -nE 's#.*listening on (http://[0-9.]+:)?([0-9]+).*#\2#p' "$tmp/out")
    [ -n "$srv_port" ] && return 0
    kill -0 "$srv_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "relay_compare: the $1 server did not start:" >&2
  cat "$tmp/err" >&2
  exit 1
}

stop_server() {
  kill "$srv_pid" 2>/dev/null || true
  wait "$srv_pid" 2>/dev/null || true
  srv_pid=""
}

# One run: case label, kind (huddle, redis, ws), time limit in s, then the generator's workload flags.
run() {
  local label=$1 kind=$2 limit=$3
  shift 3
  start_server "$kind"
  local line status=0 proto=$kind
  [ "$kind" = redis ] && proto=huddle
  timeout --kill-after=5 "$limit" "$gen" --protocol "$proto" --port "$srv_port" --server-pid "$srv_pid" \
    --io-threads "$io" --label "$label" "$@" >"$tmp/gen_out" 2>"$tmp/gen_err" || status=$?
  stop_server
  line=$(head -n 1 "$tmp/gen_out")
  if [[ $line == '{'* ]]; then
    echo "${line/\"protocol\":\"$proto\"/\"protocol\":\"$kind\"}" >>"$out"
  else
    echo "{\"label\":\"$label\",\"protocol\":\"$kind\",\"error\":\"generator exit $status\"}" >>"$out"
  fi
  # The generator's first table line: the rate reached, or how long connecting took.
  printf '  %-14s %-6s %s\n' "$label" "$kind" "$(sed -n 2p "$tmp/gen_out" | tr -s ' ')"
  if [ -s "$tmp/gen_err" ]; then sed 's/^/    /' "$tmp/gen_err"; fi
}

traffic_limit=$(awk -v w="$warmup" -v d="$duration" 'BEGIN { printf "%d", w + d + 60 }')
cases=(
  "directed_5k --mode directed --rate 5000"
  "directed_sat --mode directed --rate 0 --window $window"
  "broadcast_sat --mode broadcast --rate 0 --window $window"
  "directed_20k --mode directed --rate 20000"
)
echo "relay_compare: $reps repetition(s), ${warmup}+${duration} s per traffic run, 600 clients in rooms of 6"
for spec in "${cases[@]}"; do
  read -r label flags <<<"$spec"
  for ((rep = 1; rep <= reps; rep++)); do
    for kind in "${kinds[@]}"; do
      # shellcheck disable=SC2086
      run "$label" "$kind" "$traffic_limit" --clients 600 --room-size 6 --payload-bytes 214 \
        --warmup "$warmup" --duration "$duration" $flags
    done
  done
done
for ((rep = 1; rep <= reps; rep++)); do
  for kind in "${kinds[@]}"; do
    run idle "$kind" 150 --idle "$idle" --room-size 6 --duration "$hold" --setup-timeout 90
  done
done

node bench/relay_table.mjs "$out" "${kinds[@]}"
