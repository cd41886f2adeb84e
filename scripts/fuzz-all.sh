#!/usr/bin/env bash
# fuzz-all.sh - run every fuzz target of the module for a bounded time, one after the other.
#
#   scripts/fuzz-all.sh [PATTERN]        (PATTERN: an extended regexp over "pkg FuzzName"; default: all)
#
#   FUZZTIME   how long each target runs (go test -fuzztime: 10s, 500x; default 10s)
#   FUZZPAR    fuzzing workers per target (go test -parallel; default 2)
#
# Each target starts from its seed corpus (the f.Add seeds and testdata/fuzz/FuzzName/), which plain
# `go test` also runs as regression cases. A failing target stops nothing: every target runs, failures are
# listed at the end, and the new failing input is left in testdata/fuzz/FuzzName/ to be checked in with the
# fix. Exit 0 = no target failed; 1 = some failed; 2 = usage.
#
# Go's fuzzing coordinator can fail a target with a bare "context deadline exceeded" when -fuzztime ends while a
# worker is busy (golang/go#51484, #75804: a race in the toolchain, more frequent on a loaded machine). Such a
# failure wrote no failing input and names no failing test: the target is run once more, and fails only if it
# fails again.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
fuzztime=${FUZZTIME:-10s}
par=${FUZZPAR:-2}
pattern=${1:-.}
if [ $# -gt 1 ]; then
  echo "usage: $0 [PATTERN]" >&2
  exit 2
fi

# "pkg FuzzName" for every fuzz target, from the test files that declare them.
targets=$(grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r file; do
  pkg=./$(dirname "${file#./}")
  grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | sed "s|^func |$pkg |"
done | grep -E -- "$pattern")
if [ -z "$targets" ]; then
  echo "fuzz-all: no fuzz target matches $pattern" >&2
  exit 2
fi

failed=()
n=0
while read -r pkg name; do
  n=$((n + 1))
  echo "fuzz-all: $pkg $name ($fuzztime)" >&2
  for try in 1 2; do
    log=$(go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -parallel "$par" "$pkg" 2>&1)
    status=$?
    printf '%s\n' "$log" >&2
    if [ $status -eq 0 ]; then
      break
    fi
    if [ $try -eq 1 ] && grep -q 'context deadline exceeded' <<<"$log" &&
      ! grep -qE 'Failing input written|panic:|_test\.go:[0-9]+:' <<<"$log"; then
      echo "fuzz-all: $name: the toolchain's deadline race (no failing input): once more" >&2
      continue
    fi
    failed+=("$pkg $name")
    break
  done
done <<<"$targets"

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz-all: ${#failed[@]} of $n targets failed:" >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "fuzz-all: $n targets passed ($fuzztime each)" >&2
