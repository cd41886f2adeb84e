//go:build race

package main

// raceEnabled: the race detector slows ingest ten times, so the 20,000-host test cannot keep its timings under
// it; .ci/run runs that test without it.
const raceEnabled = true
