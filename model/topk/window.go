package topk

import (
	"cmp"
	"slices"
	"time"
)

// Window is a sliding window of Sketches, one per time bucket. Each bucket is reset and reused when time
// moves past it, so memory stays at buckets × capacity keys whatever the stream. Not safe for concurrent use.
type Window[A any] struct {
	width   int64 // bucket width, ns
	buckets []bucket[A]
	cur     int // index of the newest bucket in buckets
}

type bucket[A any] struct {
	num    int64 // bucket number: unix ns / width
	used   bool
	sketch *Sketch[A]
}

// NewWindow returns a window of n buckets (at least 1) that together span window, each a Sketch of the given
// capacity.
func NewWindow[A any](window time.Duration, n, capacity int) *Window[A] {
	if n < 1 {
		n = 1
	}
	width := int64(window) / int64(n)
	if width < 1 {
		width = 1
	}
	w := &Window[A]{width: width, buckets: make([]bucket[A], n)}
	for i := range w.buckets {
		w.buckets[i].sketch = NewSketch[A](capacity)
	}
	return w
}

// BucketWidth returns the time span of one bucket.
func (w *Window[A]) BucketWidth() time.Duration { return time.Duration(w.width) }

// At returns the sketch that counts what happens at now, moving the window forward when now is past the
// newest bucket. A now slightly in the past (reordered callers) counts in the newest bucket.
func (w *Window[A]) At(now time.Time) *Sketch[A] {
	num := now.UnixNano() / w.width
	b := &w.buckets[w.cur]
	if b.used && num <= b.num {
		return b.sketch
	}
	n := len(w.buckets)
	steps := num - b.num
	if !b.used || steps > int64(n) {
		steps = int64(n)
	}
	// Every bucket passed over is reset, so a window idle for a while does not resurrect old counts.
	for i := int64(1); i <= steps; i++ {
		w.cur = (w.cur + 1) % n
		nb := &w.buckets[w.cur]
		nb.sketch.Reset()
		nb.num = num - steps + i
		nb.used = true
	}
	return w.buckets[w.cur].sketch
}

// Each calls fn with every bucket whose span overlaps the window that ends at now, oldest first, with the
// start of its span.
func (w *Window[A]) Each(now time.Time, fn func(s *Sketch[A], start time.Time)) {
	num := now.UnixNano() / w.width
	n := len(w.buckets)
	for i := 1; i <= n; i++ {
		b := &w.buckets[(w.cur+i)%n]
		if !b.used || b.num <= num-int64(n) || b.num > num {
			continue
		}
		fn(b.sketch, time.Unix(0, b.num*w.width))
	}
}

// Start returns the start of the oldest bucket in the window that ends at now.
func (w *Window[A]) Start(now time.Time) time.Time {
	num := now.UnixNano()/w.width - int64(len(w.buckets)) + 1
	return time.Unix(0, num*w.width)
}

// Summary merges sketches (buckets, shards) into one table. Not safe for concurrent use.
type Summary[A any] struct {
	merge   func(dst, src *A)
	index   map[string]int
	entries []merged[A]
	minSum  float64 // sum of the Min of every sketch added
	total   float64
}

type merged[A any] struct {
	Entry[A]
	presentMins float64 // sum of the Min of the sketches that monitor this key
}

// NewSummary returns an empty summary; merge adds one aux value into another.
func NewSummary[A any](merge func(dst, src *A)) *Summary[A] {
	return &Summary[A]{merge: merge, index: make(map[string]int)}
}

// Add merges the sketch in. It copies what it keeps; the sketch may change afterwards.
func (m *Summary[A]) Add(s *Sketch[A]) {
	min := s.Min()
	m.minSum += min
	m.total += s.Total()
	s.Each(func(key []byte, count, err float64, aux *A) {
		i, ok := m.index[string(key)]
		if !ok {
			i = len(m.entries)
			m.entries = append(m.entries, merged[A]{Entry: Entry[A]{Key: string(key)}})
			m.index[m.entries[i].Key] = i
		}
		e := &m.entries[i]
		e.Count += count
		e.Err += err
		e.presentMins += min
		m.merge(&e.Aux, aux)
	})
}

// Total returns the exact total weight of the merged sketches.
func (m *Summary[A]) Total() float64 { return m.total }

// Bound returns the largest error any merged estimate may have (the sum of the sketches' Min, ≤ Total/capacity).
func (m *Summary[A]) Bound() float64 { return m.minSum }

// Top returns the n entries with the largest estimates, largest first (ties by key). A key missing from a
// full sketch is charged that sketch's Min in both its estimate and its error.
func (m *Summary[A]) Top(n int) []Entry[A] {
	all := make([]Entry[A], len(m.entries))
	for i := range m.entries {
		e := &m.entries[i]
		missing := m.minSum - e.presentMins
		all[i] = e.Entry
		all[i].Count += missing
		all[i].Err += missing
	}
	slices.SortFunc(all, func(a, b Entry[A]) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return all[:min(n, len(all))]
}
