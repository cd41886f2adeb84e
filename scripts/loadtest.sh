#!/usr/bin/env bash
# loadtest.sh - the highest datagram rate fleettop collect takes on loopback with nothing dropped or lost.
# Usage: scripts/loadtest.sh [RATE ...]   (default 10000 20000 40000 80000 160000)
# For each rate: start `fleettop collect` on 127.0.0.1, send 5 s of the demo fleet's datagrams with
# `fleettop sim --loop` (two minutes of the fleet recorded, then sent round after round, renumbered), stop the
# collector, and compare what it counted with what was sent.
set -euo pipefail
cd "$(dirname "$0")/.."
rates=("$@"); [ ${#rates[@]} -gt 0 ] || rates=(10000 20000 40000 80000 160000)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/fleettop" ./cmd/fleettop
port=$((20000 + RANDOM % 20000))
best=0
printf '%8s %10s %10s %8s %8s %8s\n' rate sent received drops lost verdict
for r in "${rates[@]}"; do
  "$tmp/fleettop" collect --listen "127.0.0.1:$port" --interval 1h --snapshot-json "$tmp/snap.json" \
    --config /dev/null >"$tmp/collect.out" 2>"$tmp/collect.err" &
  cpid=$!
  for _ in $(seq 50); do grep -q listening "$tmp/collect.err" 2>/dev/null && break; sleep 0.1; done
  sent=$("$tmp/fleettop" sim --hosts 600 --loop 2m --to "127.0.0.1:$port" --rate "$r" --duration 5s |
    sed -E 's/sent ([0-9]+) .*/\1/')
  sleep 1
  kill -INT "$cpid"; wait "$cpid" || true
  line=$(tail -1 "$tmp/collect.out")
  got=$(sed -E 's/.* datagrams=([0-9]+) .*/\1/' <<<"$line")
  drops=$(sed -E 's/.* drops=([0-9]+) .*/\1/' <<<"$line")
  lost=$(sed -E 's/.* lost=([0-9]+) .*/\1/' <<<"$line")
  verdict=ok
  if [ "$got" != "$sent" ] || [ "$drops" != 0 ] || [ "$lost" != 0 ]; then verdict=LOSS; else best=$r; fi
  printf '%8s %10s %10s %8s %8s %8s\n' "$r" "$sent" "$got" "$drops" "$lost" "$verdict"
done
echo "highest rate with nothing dropped or lost: $best datagrams/s"
