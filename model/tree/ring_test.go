package tree

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRingAgainstMap checks the growing ring against the plain rule it must follow: a bin holds the last
// value set in it while it is among the newest limit bins, and NaN otherwise.
func TestRingAgainstMap(t *testing.T) {
	for _, limit := range []int{1, 5, 16, 17, 100, 720} {
		rng := rand.New(rand.NewPCG(uint64(limit), 1))
		r := newRing[float64](limit)
		ref := map[int64]float64{}
		newest := int64(-1 << 62)
		bin := int64(1000)
		for i := range 3000 {
			switch rng.IntN(10) {
			case 0:
				bin += int64(rng.IntN(3 * limit)) // a gap
			case 1:
				bin -= int64(rng.IntN(limit + 2)) // an older bin
			default:
				bin++
			}
			v := float64(i)
			r.set(bin, v)
			if bin > newest-int64(limit) {
				ref[bin] = v
			}
			newest = max(newest, bin)
			for b := newest - int64(limit) - 3; b <= newest+1; b++ {
				want, ok := ref[b]
				if !ok || b <= newest-int64(limit) {
					want = math.NaN()
				}
				if got := r.get(b); !sameValues(got, want) {
					t.Fatalf("limit %d, step %d: bin %d (newest %d) = %v, want %v", limit, i, b, newest, got, want)
				}
			}
		}
		if len(r.vals) > limit {
			t.Fatalf("limit %d: ring grew to %d", limit, len(r.vals))
		}
	}
}

func TestRingStartsSmall(t *testing.T) {
	r := newRing[float32](720)
	for b := int64(0); b < 10; b++ {
		r.set(b, 1)
	}
	if r.bytes() != 4*ringStart {
		t.Fatalf("a ten-step series takes %d bytes", r.bytes())
	}
	for b := int64(10); b < 2000; b++ {
		r.set(b, 1)
	}
	if r.bytes() != 4*720 {
		t.Fatalf("a long series takes %d bytes, want %d", r.bytes(), 4*720)
	}
}
