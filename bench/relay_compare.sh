#!/usr/bin/env bash
# huddle-server (--threads 1) against the bare Node ws relay (bench/ws_relay.mjs), under the same
# loads from huddle_loadgen. Every run gets a fresh server; huddle and ws runs alternate, so a
# neighbour's noise on this shared machine falls on both alike. Prints medians side by side and
# keeps every run's JSON line in build/bench/relay_compare.jsonl.
#   bench/relay_compare.sh [--quick] [--reps N] [--io-threads 1|2] [--window N] [--redis | --cluster]
# --quick: one short repetition with 2000 idle connections, to check that it all works.
# --redis: huddle-server with --redis (a redis-server of its own, docs/cluster.md) against
# huddle-server without, instead of against the ws relay: what keeping rooms in Redis costs.
# --cluster: three kinds, alternating: one huddle-server without Redis (the baseline), one with
# --redis, and two with --redis sharing rooms, each room's members split over them (the loadgen's
# --port A,B: slot s on node s mod 2, the room on the creator's node A), so most frames cross
# between nodes through Redis streams. The redis-server's CPU is read too, apart and in a total.
# --window: messages in flight per client at saturation (default 32). Against a near-free server the
# generator reaches ~130k msg/s on one core at 8 and ~480k at 32 (bigger batches); huddle-server
# passes 130k, so at 8 the generator, not the server, would be the limit.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0 reps=3 io=1 window=32 redis=0 cluster=0
while (($#)); do
  case $1 in
    --quick) quick=1 reps=1 ;;
    --reps) reps=$2; shift ;;
    --io-threads) io=$2; shift ;;
    --window) window=$2; shift ;;
    --redis) redis=1 ;;
    --cluster) cluster=1 ;;
    *) echo "usage: $0 [--quick] [--reps N] [--io-threads 1|2] [--window N] [--redis | --cluster]" >&2; exit 2 ;;
  esac
  shift
done
if ((quick)); then warmup=0.5 duration=2 idle=2000 hold=1; else warmup=2 duration=8 idle=10000 hold=3; fi

server=build/native/cpp/server/huddle-server
gen=build/native/bench/huddle_loadgen
if ((!redis && !cluster)) && [ ! -d node_modules/ws ]; then
  echo "relay_compare: node_modules/ws is missing: run npm ci (or scripts/setup.sh)" >&2
  exit 1
fi
tmp=$(mktemp -d)
srv_pids=()
srv_ports=()
redis_pid=""
cleanup() {
  local pid
  for pid in "${srv_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
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
if ((redis)); then kinds=(redis huddle); fi
if ((cluster)); then kinds=(two redis huddle); fi
if ((redis || cluster)); then
  redis_port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$tmp/redis" 2>&1 &
  redis_pid=$!
  for _ in $(seq 100); do grep -q 'Ready to accept' "$tmp/redis" && break; sleep 0.1; done
fi

# Starts one process of a server on 127.0.0.1 and a free port: $1 names its output files, the rest
# is its command line. Appends to srv_pids and srv_ports.
start_one() {
  local name=$1
  shift
  # Gone first: the shell may read the file before the new process's redirection empties it, and
  # take the port of the run before.
  rm -f "$tmp/out_$name" "$tmp/err_$name"
  "$@" >"$tmp/out_$name" 2>"$tmp/err_$name" &
  local pid=$! port
  srv_pids+=("$pid")
  for _ in $(seq 100); do
    port=$(sed -nE 's#.*listening on (http://[0-9.]+:)?([0-9]+).*#\2#p' "$tmp/out_$name" 2>/dev/null || true)
    if [ -n "$port" ]; then
      srv_ports+=("$port")
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "relay_compare: the server $name did not start:" >&2
  cat "$tmp/err_$name" >&2
  exit 1
}

# Starts a fresh server of kind $1 (huddle; redis: huddle with --redis; two: two of those sharing
# rooms; ws) on 127.0.0.1 and free ports; sets srv_pids and srv_ports. Each redis or two run starts
# from an empty Redis. Every client comes from 127.0.0.1, so the limits per address are lifted (the
# ws relay has none).
start_server() {
  local huddle=("$server" --host 127.0.0.1 --port 0 --threads 1 --quiet --max-connections 20000 --max-rooms 20000
    --max-frames-per-second 100000 --heartbeat-ms 600000 --max-connections-per-address 20000
    --max-http-connections-per-address 20000 --rooms-per-minute 1000000 --relay-bytes-per-second 100000000000)
  local shared=(--redis "redis://127.0.0.1:${redis_port:-0}/0")
  rm -f "$tmp"/out_* "$tmp"/err_*
  case $1 in
    huddle) start_one n1 "${huddle[@]}" ;;
    redis)
      redis-cli -p "$redis_port" FLUSHALL >/dev/null
      start_one n1 "${huddle[@]}" "${shared[@]}" --node-id n1
      ;;
    two)
      redis-cli -p "$redis_port" FLUSHALL >/dev/null
      start_one n1 "${huddle[@]}" "${shared[@]}" --node-id n1
      start_one n2 "${huddle[@]}" "${shared[@]}" --node-id n2
      ;;
    ws) start_one n1 node bench/ws_relay.mjs --port 0 ;;
  esac
}

stop_server() {
  local pid
  for pid in "${srv_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${srv_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  srv_pids=()
  srv_ports=()
}

# One run: case label, kind (huddle, redis, two, ws), time limit in s, then the generator's workload flags.
run() {
  local label=$1 kind=$2 limit=$3
  shift 3
  start_server "$kind"
  local line status=0 proto=huddle watch=()
  [ "$kind" = ws ] && proto=ws
  if [ "$kind" = redis ] || [ "$kind" = two ]; then watch=(--redis-pid "$redis_pid" --redis-port "$redis_port"); fi
  timeout --kill-after=5 "$limit" "$gen" --protocol "$proto" --port "$(IFS=,; echo "${srv_ports[*]}")" \
    --server-pid "$(IFS=,; echo "${srv_pids[*]}")" "${watch[@]}" \
    --io-threads "$io" --label "$label" "$@" >"$tmp/gen_out" 2>"$tmp/gen_err" || status=$?
  if ((status != 0)); then
    # Whatever the servers said, for a run that did not work out (a server that died, say).
    local name
    for name in n1 n2; do
      if [ -s "$tmp/err_$name" ]; then tail -n 5 "$tmp/err_$name" | sed "s/^/    server $name: /" >&2; fi
    done
  fi
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

# The last kind is the baseline the others are compared with.
node bench/relay_table.mjs "$out" "${kinds[@]}"
