//go:build race

package model

// raceEnabled: the race detector slows ingest ten times and changes what the heap holds, so the heaviest
// replays run a smaller matrix under it and heap figures are not measured (.ci/run runs them in full without
// it).
const raceEnabled = true
