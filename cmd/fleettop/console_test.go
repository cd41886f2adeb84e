package main

import (
	"math"
	"testing"
)

func TestHoldEdge(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name     string
		in, want []float64
		max      int
	}{
		{"trailing nulls within the hold", []float64{1, 2, nan, nan}, []float64{1, 2, 2, 2}, 3},
		{"too many trailing nulls", []float64{1, 2, nan, nan, nan, nan}, []float64{1, 2, nan, nan, nan, nan}, 3},
		{"nothing to hold", []float64{nan, nan}, []float64{nan, nan}, 3},
		{"no trailing nulls", []float64{1, nan, 3}, []float64{1, nan, 3}, 3},
		{"empty", nil, nil, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			holdEdge(c.in, c.max)
			for i := range c.want {
				if !(c.in[i] == c.want[i] || math.IsNaN(c.in[i]) && math.IsNaN(c.want[i])) {
					t.Fatalf("got %v, want %v", c.in, c.want)
				}
			}
		})
	}
}

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
