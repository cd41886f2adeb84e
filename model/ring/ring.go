// Package ring keeps the recent points of a time series in a fixed-size buffer of time bins.
package ring

import "math"

// Series holds one value per time bin for the last Cap bins up to the newest bin written. Bins never
// written read as NaN. The zero value is empty with no capacity; use New. Not safe for concurrent use.
type Series struct {
	vals   []float32
	newest int64 // bin number of the newest bin written
	used   bool
}

// New returns an empty series that keeps n bins (at least 1).
func New(n int) *Series {
	s := &Series{vals: make([]float32, max(n, 1))}
	for i := range s.vals {
		s.vals[i] = float32(math.NaN())
	}
	return s
}

// Cap returns the number of bins kept.
func (s *Series) Cap() int { return len(s.vals) }

// Newest returns the newest bin written and whether any was.
func (s *Series) Newest() (int64, bool) { return s.newest, s.used }

// Set stores v in bin. Bins older than the buffer are ignored; a newer bin moves the buffer forward and clears
// the bins skipped over.
func (s *Series) Set(bin int64, v float64) { s.Fill(bin, bin, v) }

// Fill stores v in every bin from first to last inclusive, as far as the buffer reaches: a rate measured over
// an interval is the best value for each bin inside it.
func (s *Series) Fill(first, last int64, v float64) {
	if last < first {
		return
	}
	n := int64(len(s.vals))
	s.advance(last)
	first = max(first, s.newest-n+1)
	for b := first; b <= last; b++ {
		s.vals[mod(b, n)] = float32(v)
	}
}

// advance makes bin the newest, clearing what lies between the old newest bin and it.
func (s *Series) advance(bin int64) {
	n := int64(len(s.vals))
	if !s.used {
		s.used = true
		s.newest = bin
		return
	}
	if bin <= s.newest {
		return
	}
	from := max(s.newest+1, bin-n+1)
	for b := from; b <= bin; b++ {
		s.vals[mod(b, n)] = float32(math.NaN())
	}
	s.newest = bin
}

// Get returns the value of bin, NaN when it was not written or is outside the buffer.
func (s *Series) Get(bin int64) float64 {
	n := int64(len(s.vals))
	if !s.used || bin > s.newest || bin <= s.newest-n {
		return math.NaN()
	}
	return float64(s.vals[mod(bin, n)])
}

// Read fills dst with the bins ending at last (dst[len-1] is bin last), oldest first.
func (s *Series) Read(dst []float64, last int64) {
	first := last - int64(len(dst)) + 1
	for i := range dst {
		dst[i] = s.Get(first + int64(i))
	}
}

func mod(b, n int64) int64 {
	m := b % n
	if m < 0 {
		m += n
	}
	return m
}
