#!/usr/bin/env bash
# Cluster / single-node throughput ratios on one machine (docs/performance.md, "A three-node
# cluster against a single node"). Each path gets processes of its own, started fresh and warmed
# the same way through the node it is measured on, so no path runs on another's grown database:
#   single    one node
#   leader    a fresh three-node cluster, measured through its leader
#   follower  a fresh three-node cluster, measured through a follower (writes are forwarded)
#   spread    a fresh three-node cluster, measured through all three (coffer bench --spread)
#
# usage: docs/performance/cluster-ratios.sh OUT_DIR [PATH...]   (default: single leader follower)
# Build first (mvn -B -q -DskipTests package). Writes OUT_DIR/PATH.json (coffer bench -o json:
# results[].operation, results[].opsPerSec) and OUT_DIR/PATH-warm.json. Everything listens on
# 127.0.0.1 (ports 18440-18462) and runs with --dev; data goes under OUT_DIR/data, removed
# between paths. WARM and MEAS override the bench arguments (each bench is bounded by them).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mkdir -p "$1" && cd "$1" && pwd); shift
paths=${*:-single leader follower}
jar=${JAR:-server/target/coffer-server.jar}
cli=client-cli/bin/coffer
warm=${WARM:-"--op create --op reveal --op verify --op list --warmup 40s --duration 5s"}
meas=${MEAS:-"--op verify --op reveal --op create --op list --warmup 15s --duration 20s"}
common="-c 64 --no-health-baseline --keep-data -o json"
data=$out/data
pids=()

stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
trap stop_all EXIT

await_line() { # FILE TEXT: at most 60 s
  for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "no '$2' in $1" >&2; return 1
}

bench() { # NAME TOKEN_FILE ARGS...
  local name=$1 token=$2; shift 2
  # shellcheck disable=SC2086
  "$cli" bench --token-file "$token" "$@" $warm $common > "$out/$name-warm.json"
  # shellcheck disable=SC2086
  "$cli" bench --token-file "$token" "$@" $meas $common > "$out/$name.json"
}

single() {
  java -jar "$jar" --dev --data-dir "$data/s" --listen 127.0.0.1:18440 --metrics-listen off \
    --bootstrap-token-file "$data/s.token" > "$data/s.log" 2>&1 & pids+=($!)
  await_line "$data/s.log" 'listening on'
  bench single "$data/s.token" --addr 127.0.0.1:18440
}

cluster() { # leader | follower | spread
  local peers=a=127.0.0.1:18100,b=127.0.0.1:18101,c=127.0.0.1:18102 ids=(a b c) i
  for i in 0 1 2; do
    local n=${ids[$i]} extra=()
    if [ "$i" = 0 ]; then
      extra=(--cluster-init --bootstrap-token-file "$data/c.token")
    else
      install -d -m 0700 "$data/$n"
      for _ in $(seq 100); do [ -f "$data/a/dev-root-key.json" ] && break; sleep 0.2; done
      sleep 0.2 # written, then closed
      install -m 0600 "$data/a/dev-root-key.json" "$data/$n/"
    fi
    java -jar "$jar" --dev --data-dir "$data/$n" --listen "127.0.0.1:$((18450 + i))" \
      --metrics-listen "127.0.0.1:$((18460 + i))" --cluster-node-id "$n" \
      --cluster-address "127.0.0.1:$((18100 + i))" --cluster-peers "$peers" "${extra[@]}" \
      > "$data/$n.log" 2>&1 & pids+=($!)
  done
  for n in a b c; do await_line "$data/$n.log" 'listening on'; done
  local leader
  leader=$(COFFER_TOKEN=$(cat "$data/c.token") "$cli" cluster peers --addr 127.0.0.1:18450 \
    --json | grep -o '"leaderId": *"[abc]"' | grep -o '[abc]"$' | tr -d '"')
  local l=$((18450 + $(printf '%d' "'$leader") - 97))
  local others=() p
  for p in 18450 18451 18452; do [ "$p" != "$l" ] && others+=("127.0.0.1:$p"); done
  echo "$1: leader $leader (127.0.0.1:$l)" >> "$out/where.txt"
  case $1 in
    leader) bench leader "$data/c.token" --addr "127.0.0.1:$l" ;;
    follower) bench follower "$data/c.token" --addr "${others[0]}" ;;
    spread) bench spread "$data/c.token" --addr "127.0.0.1:$l" \
      --spread "${others[0]},${others[1]}" ;;
  esac
}

for path in $paths; do
  rm -rf "$data"; mkdir -p "$data"
  case $path in
    single) single ;;
    leader | follower | spread) cluster "$path" ;;
    *) echo "unknown path $path (single, leader, follower, spread)" >&2; exit 2 ;;
  esac
  stop_all
done
rm -rf "$data"
echo "results in $out: PATH.json (coffer bench -o json)"
