#!/usr/bin/env bash
# stress-tests.sh - run the full test suite N times in a row next to a bounded CPU load, to find the tests that
# fail only on a busy machine. Stops at the first failing run and prints its failing tests.
#
#   scripts/stress-tests.sh [N]          (N: runs, default 10)
#
#   LOAD_CPUS     CPU hogs beside the tests (default: the number of CPUs)
#   LOAD_SECONDS  the longest the load of one run lasts (default 900): it stops when the run ends, or after this
#                 long if the run is still going
#
# Each run is the README's test command without the race detector, uncached: go test -count=1 ./...
# The load is stress-ng --cpu when it is installed (apt-get install stress-ng), else one time-bounded shell
# busy loop per hog. The load and the test run each run in a process group of their own: the load's is killed
# at the end of each run, and both on any exit of the script (a failure, ^C, a kill). Each run's output is kept
# in a temporary directory, named on a failure.
# Exit 0 = every run passed; 1 = a run failed; 2 = usage.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
runs=${1:-10}
cpus=${LOAD_CPUS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
load_seconds=${LOAD_SECONDS:-900}
if [ $# -gt 1 ] || ! [[ $runs =~ ^[1-9][0-9]*$ && $cpus =~ ^[0-9]+$ && $load_seconds =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [N]   (N >= 1; LOAD_CPUS >= 0 and LOAD_SECONDS >= 1 as whole numbers)" >&2
  exit 2
fi

logs=$(mktemp -d "${TMPDIR:-/tmp}/stress-tests.XXXXXX") || exit 2
set -m # each background job in a process group of its own, whose id is the job's pid: one kill ends it all
load_pgid=""
test_pgid=""

# stop kills a job's process group (the process and anything it started) and reaps it.
stop() {
  [ -n "$1" ] || return 0
  kill -TERM -- "-$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 0
}
trap 'stop "$test_pgid"; stop "$load_pgid"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_load starts the hogs, bounded in time, in a process group of their own.
start_load() {
  [ "$cpus" -eq 0 ] && return
  if command -v stress-ng >/dev/null; then
    stress-ng --cpu "$cpus" --timeout "${load_seconds}s" --quiet &
  else
    # --foreground keeps each timeout in the load's process group
    sh -c 'i=0; while [ $i -lt "$1" ]; do timeout --foreground "$2" sh -c "while :; do :; done" & i=$((i + 1)); done
      wait' sh "$cpus" "$load_seconds" &
  fi
  load_pgid=$!
}

load=$(command -v stress-ng >/dev/null && echo "stress-ng --cpu $cpus" || echo "$cpus shell busy loops")
echo "stress-tests: $runs run(s) of go test -count=1 ./... beside $load (each bounded to ${load_seconds}s)"
echo "stress-tests: logs in $logs"
for run in $(seq 1 "$runs"); do
  log=$logs/run$run.log
  start_load
  started=$SECONDS
  go test -count=1 ./... >"$log" 2>&1 </dev/null &
  test_pgid=$!
  wait "$test_pgid"
  status=$?
  test_pgid=""
  elapsed=$((SECONDS - started))
  stop "$load_pgid"
  load_pgid=""
  if [ $status -eq 0 ]; then
    echo "run $run/$runs: ok in ${elapsed}s"
    continue
  fi
  echo "run $run/$runs: FAILED in ${elapsed}s (exit $status); full output in $log"
  echo "--- failing tests and packages:"
  grep -E -- '^\s*--- FAIL|^FAIL\s|^panic:|build failed' "$log"
  echo "--- their output (the first 80 lines):"
  # each failing test's lines: from its --- FAIL line to the next result line; a panic's first lines
  awk '/^[ \t]*--- FAIL|^panic:/ { show = 1 }
    show && /^(ok|FAIL|PASS|=== RUN)/ { show = 0 }
    show { print }' "$log" | head -80
  exit 1
done
echo "stress-tests: all $runs run(s) passed"
rm -rf "$logs"
