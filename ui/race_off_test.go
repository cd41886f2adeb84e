//go:build !race

package ui

// waitLimit: see race_on_test.go.
const waitLimit = 20e9
