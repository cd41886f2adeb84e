package graphite

import (
	"math/rand/v2"
	"testing"
)

// TestRingMatchesSliceModel drives the ring and a plain slice with the same random operations.
func TestRingMatchesSliceModel(t *testing.T) {
	for _, limit := range []int{1, 3, 64, 100, 1000} {
		rng := rand.New(rand.NewPCG(uint64(limit), 7))
		r := newRing(limit)
		var model []queued
		var droppedRing, droppedModel int
		next := int64(0)
		var taken []queued
		for op := 0; op < 5000; op++ {
			switch rng.IntN(4) {
			case 0, 1:
				p := queued{path: "p", ts: next}
				next++
				if r.push(p) {
					droppedRing++
				}
				model = append(model, p)
				if len(model) > limit {
					model = model[1:]
					droppedModel++
				}
			case 2:
				k := rng.IntN(limit + 2)
				taken = r.take(taken, k)
				k = min(k, len(model))
				want := model[:k]
				if len(taken) != len(want) {
					t.Fatalf("limit %d op %d: took %d, want %d", limit, op, len(taken), len(want))
				}
				for i := range want {
					if taken[i] != want[i] {
						t.Fatalf("limit %d op %d: took[%d] = %v, want %v", limit, op, i, taken[i], want[i])
					}
				}
				model = append([]queued(nil), model[k:]...)
			case 3:
				// put back what was last taken, as the sender does after a failed write
				droppedRing += r.pushFront(taken)
				model = append(append([]queued(nil), taken...), model...)
				if over := len(model) - limit; over > 0 {
					model = model[over:]
					droppedModel += over
				}
				taken = taken[:0]
			}
			if r.len() != len(model) || droppedRing != droppedModel {
				t.Fatalf("limit %d op %d: len %d dropped %d, want %d and %d", limit, op, r.len(), droppedRing, len(model), droppedModel)
			}
		}
		all := r.take(nil, r.len())
		for i := range model {
			if all[i] != model[i] {
				t.Fatalf("limit %d: final[%d] = %v, want %v", limit, i, all[i], model[i])
			}
		}
	}
}
