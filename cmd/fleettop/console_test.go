package main

import "testing"

func TestDrawsIntoWindow(t *testing.T) {
	for line, want := range map[string]bool{
		"draw a.b in W":        true,
		"draw a.b":             false,
		"add sum(a.*) to W":    true,
		"views":                false,
		"draw nosuch(( in W":   false,
		"change W from -20min": false,
	} {
		if got := drawsIntoWindow(line); got != want {
			t.Errorf("drawsIntoWindow(%q) = %v, want %v", line, got, want)
		}
	}
}
