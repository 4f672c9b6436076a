#!/usr/bin/env bash
# scripts/cluster.sh: huddle as a deployment of several servers, on this machine (docs/cluster.md).
# Starts a redis-server, three huddle-servers sharing it (nodes n1, n2, n3 on ports 8081-8083)
# and a plain load balancer on http://127.0.0.1:8080 that spreads connections over them, with no
# sticky sessions: open the app there in a few tabs and the members of one room land on different
# nodes. Ctrl+C stops them all. Build first (npm start, or scripts/build.sh).
#   scripts/cluster.sh [--nodes N] [--port P]
set -euo pipefail
cd "$(dirname "$0")/.."

nodes=3 port=8080
while (($#)); do
  case $1 in
    --nodes) nodes=$2; shift ;;
    --port) port=$2; shift ;;
    *) echo "usage: $0 [--nodes N] [--port P]" >&2; exit 2 ;;
  esac
  shift
done

server=build/native/cpp/server/huddle-server
[ -x "$server" ] || server=build/asan/cpp/server/huddle-server
[ -x "$server" ] || { echo "cluster: no huddle-server built yet: run npm start or scripts/build.sh" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "cluster: redis-server is missing: run scripts/setup.sh" >&2; exit 1; }

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

redis_port=$((port + 100))
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning &
pids+=($!)
sleep 0.3
backends=()
for ((i = 1; i <= nodes; i++)); do
  node_port=$((port + i))
  HUDDLE_ALLOWED_ORIGINS="${HUDDLE_ALLOWED_ORIGINS-*}" "$server" --host 127.0.0.1 --port "$node_port" \
    --static-dir web/dist --redis "redis://127.0.0.1:$redis_port/0" --node-id "n$i" --public-origin "http://127.0.0.1:$port" &
  pids+=($!)
  backends+=("127.0.0.1:$node_port")
done
node scripts/balancer.mjs --port "$port" --to "$(IFS=,; echo "${backends[*]}")" &
pids+=($!)
echo "cluster: redis on $redis_port, $nodes nodes on $((port + 1))-$((port + nodes)); open http://127.0.0.1:$port"
wait
