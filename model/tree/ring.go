package tree

import "math"

// ringStart is the capacity a ring starts with: top-N rows come and go, and most live a few steps.
const ringStart = 16

// ring holds one value per time bin for the last limit bins up to the newest bin written; bins never
// written read as NaN. It starts small and doubles, up to limit, as long as its oldest value must be kept.
// float32 halves the memory of the long histories of model series, whose points the model itself keeps as
// float32; float64 keeps counters exact.
type ring[T float32 | float64] struct {
	vals   []T
	limit  int
	newest int64
	oldest int64 // the oldest bin written that the ring still covers
	used   bool
}

func newRing[T float32 | float64](limit int) *ring[T] {
	limit = max(limit, 1)
	return &ring[T]{vals: nanSlice[T](min(limit, ringStart)), limit: limit}
}

func nanSlice[T float32 | float64](n int) []T {
	s := make([]T, n)
	nan := T(math.NaN())
	for i := range s {
		s[i] = nan
	}
	return s
}

func slot(bin int64, n int) int {
	m := int64(n)
	return int(((bin % m) + m) % m)
}

// set stores v in bin. A bin older than the ring can reach is ignored; a newer one moves the ring forward
// and clears the bins it skips.
func (r *ring[T]) set(bin int64, v float64) {
	if !r.used {
		r.used, r.newest, r.oldest = true, bin, bin
		r.vals[slot(bin, len(r.vals))] = T(v)
		return
	}
	lo, hi := min(bin, r.oldest), max(bin, r.newest)
	if span := hi - lo + 1; span > int64(len(r.vals)) && len(r.vals) < r.limit {
		r.grow(int(min(int64(r.limit), max(span, 2*int64(len(r.vals))))))
	}
	n := int64(len(r.vals))
	if bin <= r.newest-n {
		return
	}
	if bin > r.newest {
		for b := max(r.newest+1, bin-n+1); b < bin; b++ {
			r.vals[slot(b, len(r.vals))] = T(math.NaN())
		}
		r.newest = bin
	}
	r.oldest = max(min(r.oldest, bin), r.newest-n+1)
	r.vals[slot(bin, len(r.vals))] = T(v)
}

// grow moves the values into a ring of n bins.
func (r *ring[T]) grow(n int) {
	vals := nanSlice[T](n)
	for b := max(r.oldest, r.newest-int64(len(r.vals))+1); b <= r.newest; b++ {
		vals[slot(b, n)] = r.vals[slot(b, len(r.vals))]
	}
	r.vals = vals
}

// get returns the value of bin, NaN when it was not written or lies outside the ring.
func (r *ring[T]) get(bin int64) float64 {
	if !r.used || bin > r.newest || bin <= r.newest-int64(len(r.vals)) {
		return math.NaN()
	}
	return float64(r.vals[slot(bin, len(r.vals))])
}

// bytes is the ring's memory for its values.
func (r *ring[T]) bytes() int {
	var zero T
	if _, ok := any(zero).(float32); ok {
		return 4 * len(r.vals)
	}
	return 8 * len(r.vals)
}
