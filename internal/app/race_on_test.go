//go:build race

package app

// raceEnabled: the race detector slows the simulated incident cycles ten times, so the longest of them run
// only without it (.ci/run runs them in its step for the heaviest tests).
const raceEnabled = true
