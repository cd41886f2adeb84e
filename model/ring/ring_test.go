package ring

import (
	"math"
	"testing"
)

func same(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

func TestSeries(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name  string
		ops   func(s *Series)
		last  int64
		want  []float64
		capac int
	}{
		{"empty reads NaN", func(*Series) {}, 10, []float64{nan, nan, nan}, 4},
		{"set and read", func(s *Series) { s.Set(9, 1); s.Set(10, 2) }, 10, []float64{nan, 1, 2}, 4},
		{"fill an interval", func(s *Series) { s.Set(5, 1); s.Fill(6, 8, 3) }, 8, []float64{1, 3, 3, 3}, 4},
		{"skipped bins cleared", func(s *Series) { s.Fill(1, 4, 7); s.Set(6, 2) }, 6, []float64{7, nan, 2}, 4},
		{"wrap clears old values", func(s *Series) { s.Fill(1, 4, 7); s.Set(9, 1) }, 9, []float64{nan, nan, nan, 1}, 4},
		{"fill longer than the buffer", func(s *Series) { s.Fill(0, 100, 5) }, 100, []float64{nan, 5, 5, 5, 5}, 4},
		{"old bin ignored", func(s *Series) { s.Set(10, 1); s.Set(2, 9) }, 10, []float64{nan, nan, nan, 1}, 4},
		{"late bin inside the buffer", func(s *Series) { s.Set(10, 1); s.Set(8, 9) }, 10, []float64{9, nan, 1}, 4},
		{"read past newest", func(s *Series) { s.Set(3, 1) }, 5, []float64{1, nan, nan}, 4},
		{"negative bins", func(s *Series) { s.Set(-2, 1); s.Set(-1, 2) }, -1, []float64{1, 2}, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(tc.capac)
			tc.ops(s)
			got := make([]float64, len(tc.want))
			s.Read(got, tc.last)
			for i := range got {
				if !same(got[i], tc.want[i]) {
					t.Fatalf("Read = %v, want %v", got, tc.want)
				}
			}
		})
	}
}
