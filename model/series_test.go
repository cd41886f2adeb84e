package model

import (
	"math"
	"slices"
	"testing"
)

// Points handed out by view never change, whatever is written afterwards, and new points follow them.
func TestSeriesViewsAreImmutable(t *testing.T) {
	const n = 4
	var s series
	s.fill(10, 10, 1, n)
	v1 := s.view(n)
	if !math.IsNaN(v1[0]) || v1[3] != 1 || s.newest != 10 {
		t.Fatalf("first view %v newest %d, want [NaN NaN NaN 1] at 10", v1, s.newest)
	}
	s.fill(11, 12, 2, n) // appended: v1 is untouched
	s.fill(12, 12, 3, n) // the same bin again, not yet handed out: written in place
	v2 := s.view(n)
	if want := []float64{math.NaN(), 1, 2, 3}; !sameFloats(v2, want) || v1[3] != 1 {
		t.Fatalf("second view %v, want %v; first view now %v", v2, want, v1)
	}
	buf := &s.buf[0]
	s.fill(12, 12, 4, n) // a bin handed out: it keeps the value shown, and the buffer is not copied
	s.fill(11, 13, 5, n) // a span over handed-out bins and a new one: only the new one is written
	v3 := s.view(n)
	if want := []float64{1, 2, 3, 5}; v2[3] != 3 || !sameFloats(v3, want) || &s.buf[0] != buf {
		t.Fatalf("rewrite of a shared bin: earlier view %v, new view %v, want %v without a copy", v2, v3, want)
	}
	// Far past the buffer: a new one, older points gone.
	s.fill(30, 30, 5, n)
	if v := s.view(n); !sameFloats(v, []float64{math.NaN(), math.NaN(), math.NaN(), 5}) {
		t.Fatalf("after a long gap: %v", v)
	}
	// Many appends copy the buffer now and then; every view keeps its values.
	var views [][]float64
	for b := int64(31); b < 60; b++ {
		s.fill(b, b, float64(b), n)
		views = append(views, s.view(n))
	}
	for i, v := range views {
		b := float64(31 + i)
		if v[3] != b || (i > 0 && v[2] != b-1) {
			t.Fatalf("view %d = %v, want ... %v %v", i, v, b-1, b)
		}
	}
	if v := views[len(views)-1]; cap(v) != len(v) {
		t.Fatalf("a view has room to append into the buffer: len %d cap %d", len(v), cap(v))
	}
}

func sameFloats(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) })
}
