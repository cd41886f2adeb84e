#!/usr/bin/env bash
# bench-ingest.sh [BASE [ROUNDS [OPS]]]: the model's CPU per ingested datagram (decode + aggregate,
# BenchmarkIngest/kind=fleet600: the simulated 600-host fleet) of this checkout against the commit BASE
# (default c52a5bf, the model issues 9 and 15 are measured against), on the same datagrams.
#
# Both builds run today's model/bench_test.go and read one stream file (FLEETTOP_BENCH_STREAM) made by this
# checkout's simulator, so they ingest the same datagrams whatever their simulators. They run in turn,
# ROUNDS times each (default 6), OPS datagrams a run (default 1,000,000: several whole laps of the series'
# buffers), and benchstat compares them. Nothing of BASE is changed but its worktree's copy of the benchmark.
set -euo pipefail

base=${1:-c52a5bf}
rounds=${2:-6}
ops=${3:-1000000}
root=$(git rev-parse --show-toplevel)
tmp=$(mktemp -d)
cleanup() {
	git -C "$root" worktree remove --force "$tmp/base" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

git -C "$root" worktree add -q --detach "$tmp/base" "$base"
cp "$root/model/bench_test.go" "$tmp/base/model/"
if [ ! -d "$tmp/base/internal/cputime" ]; then
	mkdir -p "$tmp/base/internal/cputime"
	find "$root/internal/cputime" -name '*.go' ! -name '*_test.go' -exec cp {} "$tmp/base/internal/cputime/" \;
fi
if [ ! -f "$tmp/base/model/flowstore.go" ]; then
	# A model without the flow store (issue 15) has nothing to fill before the measurement.
	sed -i '/^\/\/ flowStoresFull says/,$d' "$tmp/base/model/bench_test.go"
	printf 'func (f *Fleet) flowStoresFull() bool { return true }\n' >>"$tmp/base/model/bench_test.go"
fi

(cd "$root" && go test -c -o "$tmp/head.test" ./model)
(cd "$tmp/base" && go test -c -o "$tmp/base.test" ./model)

export FLEETTOP_BENCH_STREAM=$tmp/stream.bin
run() {
	"$1" -test.run '^$' -test.bench 'Ingest$/kind=fleet600$' -test.benchtime "$2" | grep '^Benchmark'
}
run "$tmp/head.test" 1x >/dev/null # writes the stream file
for r in $(seq "$rounds"); do
	run "$tmp/base.test" "${ops}x" >>"$tmp/base.txt"
	run "$tmp/head.test" "${ops}x" >>"$tmp/head.txt"
	echo "round $r of $rounds" >&2
done

echo "cpu-ns/op of each run:" >&2
awk '{sub(".*/", "", FILENAME); for (i = 1; i <= NF; i++) if ($i == "cpu-ns/op") print FILENAME, $(i-1)}' "$tmp/base.txt" "$tmp/head.txt" >&2
head=$(git -C "$root" rev-parse --short HEAD)
git -C "$root" diff --quiet HEAD -- || head=$head+ # the working tree, with its changes
base=$(git -C "$root" rev-parse --short "$base")
mv "$tmp/base.txt" "$tmp/$base"
mv "$tmp/head.txt" "$tmp/$head"
if command -v benchstat >/dev/null; then
	(cd "$tmp" && benchstat "$base" "$head")
else
	(cd "$tmp" && go run golang.org/x/perf/cmd/benchstat@latest "$base" "$head")
fi
