package topk

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

type packets struct{ n float64 }

func mergePackets(dst, src *packets) { dst.n += src.n }

// count adds one packet of weight w for key, counting it in the aux data when the key is monitored.
func count(s *Sketch[packets], key []byte, w float64) {
	if a := s.Add(key, w); a != nil {
		a.n++
	}
}

// countAt is count for a window: one packet of weight w for key at now.
func countAt(win *Window[packets], now time.Time, key []byte, w float64) {
	if a := win.Add(now, key, w); a != nil {
		a.n++
	}
}

func keyOf(buf []byte, k uint64) []byte {
	return binary.BigEndian.AppendUint64(buf[:0], k)
}

// zipfStream returns n (key, weight) pairs with Zipf-distributed keys over imax distinct values.
func zipfStream(seed uint64, n int, imax uint64) (keys []uint64, weights []float64) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	z := rand.NewZipf(r, 1.2, 1, imax)
	keys = make([]uint64, n)
	weights = make([]float64, n)
	for i := range keys {
		keys[i] = z.Uint64()
		weights[i] = float64(64 + r.IntN(1437)) // frame sizes
	}
	return keys, weights
}

// checkBounds asserts the guarantees of entries against the exact counts: [Count, Count+Err] brackets the true
// weight, no error exceeds bound, and every key heavier than bound is reported.
// Only a complete table (every entry) must report every heavy key.
func checkBounds(t *testing.T, entries []Entry[packets], exact map[string]float64, bound float64, complete bool) {
	t.Helper()
	const eps = 1e-6
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		seen[e.Key] = true
		tr := exact[e.Key]
		if e.Count+e.Err+eps < tr {
			t.Errorf("key %x: upper bound %.0f below the true weight %.0f", e.Key, e.Count+e.Err, tr)
		}
		if e.Count > tr+eps {
			t.Errorf("key %x: lower bound %.0f above the true weight %.0f", e.Key, e.Count, tr)
		}
		if e.Err > bound+eps {
			t.Errorf("key %x: error %.0f above the bound %.0f", e.Key, e.Err, bound)
		}
	}
	for k, v := range exact {
		if complete && v > bound+eps && !seen[k] {
			t.Errorf("key %x with weight %.0f > bound %.0f is not reported", k, v, bound)
		}
	}
}

func TestSketchZipfErrorBound(t *testing.T) {
	const capacity = 200
	keys, weights := zipfStream(1, 200_000, 50_000)
	s := NewSketch[packets](capacity)
	exact := map[string]float64{}
	var buf []byte
	total := 0.0
	for i, k := range keys {
		buf = keyOf(buf, k)
		count(s, buf, weights[i])
		exact[string(buf)] += weights[i]
		total += weights[i]
	}
	if s.Total() != total {
		t.Fatalf("Total = %v, want %v", s.Total(), total)
	}
	if s.Len() != capacity {
		t.Fatalf("Len = %d, want the capacity %d", s.Len(), capacity)
	}
	// Not a proven bound for the filtered sketch, but what it achieves on skewed streams by a wide margin.
	if s.Min() > total/capacity {
		t.Fatalf("Min %.0f above N/m %.0f", s.Min(), total/capacity)
	}
	t.Logf("Min %.0f = %.2f N/m", s.Min(), s.Min()/(total/capacity))
	m := NewSummary(mergePackets)
	m.Add(s)
	top := m.Top(capacity)
	checkBounds(t, top, exact, s.Min(), true)
	// A key that is not monitored is bounded by its α counter, itself at most Min.
	for k, v := range exact {
		c, e, ok := s.Estimate([]byte(k))
		if !ok && (v > c+1e-6 || c != e || c > s.Min()) {
			t.Fatalf("unmonitored key %x: weight %.0f, estimate (%.0f, %.0f), Min %.0f", k, v, c, e, s.Min())
		}
	}

	// The heaviest keys of a Zipf stream stand far above N/m: they must come out exactly in order.
	heaviest := exactTop(exact, 10)
	for i, k := range heaviest {
		if top[i].Key != k {
			t.Errorf("rank %d: got key %x, want %x", i, top[i].Key, k)
		}
	}
}

func exactTop(exact map[string]float64, n int) []string {
	type kv struct {
		k string
		v float64
	}
	all := make([]kv, 0, len(exact))
	for k, v := range exact {
		all = append(all, kv{k, v})
	}
	for i := 0; i < n && i < len(all); i++ {
		best := i
		for j := i + 1; j < len(all); j++ {
			if all[j].v > all[best].v || (all[j].v == all[best].v && all[j].k < all[best].k) {
				best = j
			}
		}
		all[i], all[best] = all[best], all[i]
	}
	out := make([]string, 0, n)
	for i := 0; i < n && i < len(all); i++ {
		out = append(out, all[i].k)
	}
	return out
}

// A stream split over shards and time buckets, merged again, keeps the bound with N the whole total.
func TestSummaryMergedZipfErrorBound(t *testing.T) {
	const capacity, shards = 100, 4
	keys, weights := zipfStream(2, 120_000, 20_000)
	start := time.Unix(1_700_000_000, 0)
	windows := make([]*Window[packets], shards)
	for i := range windows {
		windows[i] = NewWindow[packets](60*time.Second, 6, capacity)
	}
	exact := map[string]float64{}
	total := 0.0
	var buf []byte
	// 120 000 items over 60 s: 2 000 per second, every shard sees every bucket.
	for i, k := range keys {
		now := start.Add(time.Duration(i) * time.Second / 2000)
		buf = keyOf(buf, k)
		countAt(windows[int(k)%shards], now, buf, weights[i])
		exact[string(buf)] += weights[i]
		total += weights[i]
	}
	end := start.Add(70 * time.Second) // read at 70 s, the window is [0, 60 s): 60 to 70 s is the open grace bucket
	m := NewSummary(mergePackets)
	buckets := 0
	for _, w := range windows {
		w.Advance(end)
		w.Each(func(s *Sketch[packets], _ time.Time) {
			buckets++
			m.Add(s)
		})
	}
	if m.Total() != total {
		t.Fatalf("merged Total = %v, want %v (some bucket was not merged)", m.Total(), total)
	}
	if buckets < shards*6 {
		t.Fatalf("merged %d buckets, want %d", buckets, shards*6)
	}
	if m.Unlisted() > total/capacity {
		t.Fatalf("Bound %.0f above N/m %.0f", m.Unlisted(), total/capacity)
	}
	top := m.Top(1 << 30)
	checkBounds(t, top, exact, m.Unlisted(), true)
	// Each window's own Top (rolling sums, then lookups with each bucket's α counters) keeps the bounds, and
	// its errors are never wider than the merge's.
	for _, w := range windows {
		mine := w.Top(50, mergePackets)
		checkBounds(t, mine, exact, m.Unlisted(), false)
		for _, e := range mine {
			for _, o := range top {
				if o.Key == e.Key && (e.Count != o.Count || e.Err > o.Err+1e-6) {
					t.Errorf("key %x: window Top (%v ± %v), merged (%v ± %v)", e.Key, e.Count, e.Err, o.Count, o.Err)
				}
			}
		}
	}
	// Aux data describes only what was seen while monitored: never more packets than really sent.
	count := map[string]float64{}
	for _, k := range keys {
		count[string(keyOf(buf, k))]++
	}
	for _, e := range top[:20] {
		if e.Aux.n > count[e.Key] {
			t.Errorf("key %x: aux packets %v above the %v sent", e.Key, e.Aux.n, count[e.Key])
		}
	}
}

func TestSketchExactBelowCapacity(t *testing.T) {
	s := NewSketch[packets](8)
	for i := 0; i < 5; i++ {
		for j := 0; j <= i; j++ {
			count(s, []byte{byte(i)}, 10)
		}
	}
	m := NewSummary(mergePackets)
	m.Add(s)
	top := m.Top(3)
	if len(top) != 3 {
		t.Fatalf("Top(3) returned %d entries", len(top))
	}
	for r, e := range top {
		wantKey := byte(4 - r)
		if e.Key != string([]byte{wantKey}) || e.Count != float64(10*(wantKey+1)) || e.Err != 0 || e.Aux.n != float64(wantKey+1) {
			t.Errorf("rank %d: %+v, want key %d count %d err 0", r, e, wantKey, 10*(wantKey+1))
		}
	}
	if c, e, ok := s.Estimate([]byte{9}); ok || c != 0 || e != 0 {
		t.Errorf("Estimate of an unseen key in a sketch that is not full = (%v, %v, %v), want (0, 0, false)", c, e, ok)
	}
}

func TestSketchFilterAndTakeOver(t *testing.T) {
	s := NewSketch[packets](2)
	s.Add([]byte("a"), 5).n = 7
	s.Add([]byte("b"), 3).n = 9
	// Full, Min 3: a new key lighter than Min only adds to its α counter.
	if aux := s.Add([]byte("c"), 1); aux != nil {
		t.Fatal("a new key lighter than Min was admitted")
	}
	if c, e, ok := s.Estimate([]byte("c")); ok || c != 1 || e != 1 {
		t.Fatalf("Estimate(c) after filtering = (%v, %v, %v), want (1, 1, false)", c, e, ok)
	}
	// Its α counter reaching Min admits it in place of the lightest key, with α as its error.
	aux := s.Add([]byte("c"), 2)
	if aux == nil || aux.n != 0 {
		t.Fatalf("aux of a key taking over a slot = %v, want zero", aux)
	}
	c, e, ok := s.Estimate([]byte("c"))
	if !ok || c != 3 || e != 1 {
		t.Fatalf("Estimate(c) = (%v, %v, %v), want (3, 1, true)", c, e, ok)
	}
	// The evicted key is bounded by its count, kept in its α counter.
	if c, e, ok := s.Estimate([]byte("b")); ok || c < 3 || e != c {
		t.Fatalf("Estimate(b) after eviction = (%v, %v, %v), want an unmonitored bound ≥ 3", c, e, ok)
	}
	if s.Total() != 11 {
		t.Fatalf("Total = %v, want 11", s.Total())
	}
	// Reusing the caller's key buffer must not corrupt the stored keys.
	buf := []byte("a")
	s.Add(buf, 1)
	buf[0] = 'z'
	if _, _, ok := s.Estimate([]byte("a")); !ok {
		t.Fatal("key a lost after the caller changed its buffer")
	}
}

// Many keys hashing around a small table: lookups stay right after every removal's backward shift.
func TestSketchTableStaysConsistent(t *testing.T) {
	s := NewSketch[packets](16)
	var buf []byte
	for i := range 20000 {
		buf = keyOf(buf, uint64(i%97))
		count(s, buf, float64(1+i%7))
		if i%1000 == 999 {
			monitored := 0
			for k := range 97 {
				if _, _, ok := s.Estimate(keyOf(nil, uint64(k))); ok {
					monitored++
				}
			}
			if monitored != s.Len() {
				t.Fatalf("after %d adds: %d keys found, %d monitored", i+1, monitored, s.Len())
			}
		}
	}
}

func TestWindowSlides(t *testing.T) {
	w := NewWindow[packets](60*time.Second, 6, 4)
	t0 := time.Unix(1_700_000_000, 0) // a multiple of 10 s
	w.Add(t0, []byte("old"), 100)
	w.Add(t0.Add(30*time.Second), []byte("mid"), 10)
	w.Add(t0.Add(25*time.Second), []byte("late"), 1) // reordered caller: its own bucket is still open
	w.Add(t0.Add(55*time.Second), []byte("now"), 5)  // the bucket being filled

	sum := func(now time.Time) map[string]float64 {
		w.Advance(now)
		m := NewSummary(mergePackets)
		w.Each(func(s *Sketch[packets], _ time.Time) { m.Add(s) })
		out := map[string]float64{}
		for _, e := range m.Top(100) {
			out[e.Key] = e.Count
		}
		// The window's own Top, from its rolling sums, says the same.
		for _, e := range w.Top(100, mergePackets) {
			if out[e.Key] != e.Count {
				t.Errorf("at %v: Top has %q %v, the merged buckets %v", now, e.Key, e.Count, out[e.Key])
			}
		}
		return out
	}
	got := sum(t0.Add(55 * time.Second))
	if len(got) != 3 || got["old"] != 100 || got["mid"] != 10 || got["late"] != 1 {
		t.Fatalf("at 55 s: %v, want old 100, mid 10, late 1 and not the open buckets", got)
	}
	if start, end := w.Span(); !start.Equal(t0.Add(-20*time.Second)) || !end.Equal(t0.Add(40*time.Second)) {
		t.Fatalf("Span at 55 s = [%v, %v), want [-20 s, 40 s)", start, end)
	}
	got = sum(t0.Add(75 * time.Second)) // [0, 60 s): complete, 60 to 70 s still open
	if got["old"] != 100 || got["now"] != 5 {
		t.Fatalf("at 75 s: %v, want old 100 and now 5", got)
	}
	got = sum(t0.Add(80 * time.Second)) // the first bucket has left the window
	if _, ok := got["old"]; ok || got["mid"] != 10 {
		t.Fatalf("at 80 s: %v, want old gone, mid 10", got)
	}
	// A datagram for a complete bucket counts there, and the rolling sums follow; one older than every bucket
	// counts in the oldest.
	w.Add(t0.Add(20*time.Second), []byte("very late"), 3)
	w.Add(t0, []byte("ancient"), 4)
	if got = sum(t0.Add(80 * time.Second)); got["very late"] != 3 || got["ancient"] != 4 {
		t.Fatalf("at 80 s: %v, want very late 3 and ancient 4", got)
	}
	if got = sum(t0.Add(90 * time.Second)); got["very late"] != 3 || got["ancient"] != 0 {
		t.Fatalf("at 90 s: %v, want very late 3 and ancient gone with [10 s, 20 s)", got)
	}
	// An idle window that is written again long after is empty, not resurrected.
	w.Add(t0.Add(10*time.Minute), []byte("new"), 2)
	got = sum(t0.Add(10*time.Minute + 20*time.Second))
	if len(got) != 1 || got["new"] != 2 {
		t.Fatalf("after idling: %v, want only new 2", got)
	}
}

// One million distinct keys through a window cost no more memory than the buckets' capacity.
func TestWindowMemoryBoundedMillionKeys(t *testing.T) {
	if testing.Short() {
		t.Skip("1M keys")
	}
	const capacity = 512
	w := NewWindow[packets](60*time.Second, 6, capacity)
	t0 := time.Unix(1_700_000_000, 0)
	var buf []byte
	feed := func(from, to int) {
		for i := from; i < to; i++ {
			buf = keyOf(buf, uint64(i)*0x9e3779b97f4a7c15)
			countAt(w, t0.Add(time.Duration(i)*5*time.Minute/1_000_000), buf, 1500)
		}
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	feed(0, 300_000) // warm up: 90 s, every bucket has been used and filled to its capacity
	before := heap()
	feed(300_000, 1_000_000)
	after := heap()
	runtime.KeepAlive(w)
	growth := int64(after) - int64(before)
	t.Logf("heap before %d B, after %d B, growth %d B over 700 000 more distinct keys", before, after, growth)
	// Strictly nothing should grow; allow slack for runtime noise, far below 700 000 keys × 8 bytes.
	if growth > 256<<10 {
		t.Fatalf("heap grew by %d B while feeding distinct keys: memory is not bounded", growth)
	}
	for i := range w.buckets {
		if n := w.buckets[i].sketch.Len(); n > capacity {
			t.Fatalf("bucket %d holds %d keys, above the capacity %d", i, n, capacity)
		}
	}
}

func BenchmarkSketchAddZipf(b *testing.B) {
	keys, weights := zipfStream(3, 1<<16, 1_000_000)
	s := NewSketch[packets](512)
	buf := make([]byte, 0, 16)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := i & (1<<16 - 1)
		buf = keyOf(buf, keys[j])
		count(s, buf, weights[j])
	}
}

// BenchmarkSketchAddChurn is the worst case: nearly every key is new and takes over the lightest slot.
func BenchmarkSketchAddChurn(b *testing.B) {
	s := NewSketch[packets](512)
	buf := make([]byte, 0, 16)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = keyOf(buf, uint64(i)*0x9e3779b97f4a7c15)
		count(s, buf, float64(64+i%1400))
	}
}

// The rolling sums stay equal to a fresh merge of the complete buckets while keys come and go for minutes,
// entries are freed and reused, and the window idles and jumps.
func TestWindowRollingMatchesMerge(t *testing.T) {
	keys, weights := zipfStream(4, 60_000, 5_000)
	w := NewWindow[packets](10*time.Second, 10, 64)
	t0 := time.Unix(1_700_000_000, 0)
	late := rand.New(rand.NewPCG(5, 6))
	var buf []byte
	at := t0
	for i, k := range keys {
		at = at.Add(5 * time.Millisecond)
		if i == 30_000 {
			at = at.Add(7 * time.Second) // an idle gap shorter than the window
		}
		buf = keyOf(buf, k)
		when := at
		if i%10 == 0 { // late datagrams, into open and complete buckets, some older than the window
			when = at.Add(-time.Duration(late.IntN(15_000)) * time.Millisecond)
		}
		countAt(w, when, buf, weights[i])
		if i%997 != 0 {
			continue
		}
		m := NewSummary(mergePackets)
		w.Each(func(s *Sketch[packets], _ time.Time) { m.Add(s) })
		want := map[string]Entry[packets]{}
		for _, e := range m.Top(1 << 30) {
			want[e.Key] = e
		}
		top := w.Top(20, mergePackets)
		for r, e := range top {
			o, ok := want[e.Key]
			if !ok || math.Abs(o.Count-e.Count) > 1e-6*o.Count || o.Aux.n != e.Aux.n || e.Err > o.Err+1e-6 {
				t.Fatalf("after %d items, row %d %x: Top (%v ± %v, %v packets), merge (%v ± %v, %v packets)",
					i, r, e.Key, e.Count, e.Err, e.Aux.n, o.Count, o.Err, o.Aux.n)
			}
		}
		// Nothing heavier is left out.
		mt := m.Top(len(top))
		if len(mt) != len(top) || (len(top) > 0 && math.Abs(mt[len(mt)-1].Count-top[len(top)-1].Count) > 1e-6*mt[len(mt)-1].Count) {
			t.Fatalf("after %d items: Top has %d rows ending at %v, the merge %d ending at %v", i, len(top),
				top[len(top)-1].Count, len(mt), mt[len(mt)-1].Count)
		}
	}
	if len(w.roll.free) == 0 {
		t.Fatal("no rolling entry was ever freed: the test did not slide the window")
	}
}
