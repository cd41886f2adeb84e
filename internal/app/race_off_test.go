//go:build !race

package app

// raceEnabled: see race_on_test.go.
const raceEnabled = false
