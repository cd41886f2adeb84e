package topk

import (
	"bytes"
	"cmp"
	"container/heap"
	"slices"
	"time"
)

// Window is a sliding window of Sketches, one per time bucket. A table read from it covers n complete
// buckets (Span): the bucket being filled and the Grace buckets before it, which most late datagrams still
// reach (several ingest workers, a publisher whose clock runs a little ahead), are never shown, so the window
// moves by one whole bucket at a time and a rate is never taken over a partial bucket. Every datagram counts
// in the bucket of its own time, even a complete one (the rolling sums follow), so where it counts does not
// depend on which worker got to it first; one older than every bucket counts in the oldest. Each bucket is
// reset and reused when time moves past the window, so memory stays at (n+Grace+1+Spare) × capacity keys
// whatever the stream.
//
// Reading a table does not merge the buckets: the window keeps, for every key monitored in any complete
// bucket, the sum of its lower bounds (rolling), brought up to date by the reads (a bucket that completed joins,
// one that left is taken back; see Spare) and by late datagrams in complete buckets. Top
// picks the heaviest keys from those sums and only then looks each one up in the buckets for its bounds and
// aux data, so a read costs O(keys in the window) for the pick plus O(n × buckets) lookups, and nothing of it
// allocates per key. Not safe for concurrent use.
type Window[A any] struct {
	width   int64 // bucket width, ns
	n       int   // complete buckets in the window
	buckets []bucket[A]
	cur     int // index of the newest bucket in buckets
	roll    rolling
}

// Grace is how many buckets before the newest are still open: not shown, because late datagrams are expected
// there.
const Grace = 1

// Spare is how many buckets that left the window are kept, their keys still in the rolling sums, until a read
// takes them back: the work of rolling a bucket in and out is done by the reads (once a second, by the
// publisher), not by the ingest that moves the window, as long as reads come at least every Spare buckets.
// Otherwise the ingest takes back the bucket it reuses.
const Spare = 2

type bucket[A any] struct {
	num    int64 // bucket number: unix ns / width
	used   bool
	rolled bool // its keys are in the rolling sums
	sketch *Sketch[A]
}

// NewWindow returns a window of n complete buckets (at least 1) that together span window, each a Sketch of
// the given capacity, plus the Grace+1 buckets being filled.
func NewWindow[A any](window time.Duration, n, capacity int) *Window[A] {
	if n < 1 {
		n = 1
	}
	width := int64(window) / int64(n)
	if width < 1 {
		width = 1
	}
	w := &Window[A]{width: width, n: n, buckets: make([]bucket[A], n+Grace+1+Spare), roll: newRolling()}
	for i := range w.buckets {
		w.buckets[i].sketch = NewSketch[A](capacity)
	}
	return w
}

// BucketWidth returns the time span of one bucket.
func (w *Window[A]) BucketWidth() time.Duration { return time.Duration(w.width) }

// Add counts weight wt for key at now, moving the window forward when now is past the newest bucket, and
// returns the key's aux data when it is monitored (see Sketch.Add).
func (w *Window[A]) Add(now time.Time, key []byte, wt float64) *A {
	return w.AddHashed(now, key, Hash(key), wt)
}

// AddHashed is Add for a caller that has computed Hash(key) already.
func (w *Window[A]) AddHashed(now time.Time, key []byte, hash uint64, wt float64) *A {
	return w.AddAt(now.UnixNano(), key, hash, wt)
}

// AddAt is AddHashed at a time in unix ns.
func (w *Window[A]) AddAt(ns int64, key []byte, hash uint64, wt float64) *A {
	num := ns / w.width
	b := &w.buckets[w.cur]
	if !b.used || num > b.num {
		w.advance(num)
		return w.buckets[w.cur].sketch.AddHashed(key, hash, wt)
	}
	size := len(w.buckets)
	back := min(b.num-num, int64(w.n+Grace)) // the oldest bucket of the window at most
	i := w.cur - int(back)
	if i < 0 {
		i += size
	}
	b = &w.buckets[i]
	if !b.rolled {
		return b.sketch.AddHashed(key, hash, wt)
	}
	return w.addRolled(b.sketch, key, hash, wt)
}

// addRolled counts a late datagram in a complete bucket and brings the rolling sums up to date: the key's
// lower bound there may grow, and the lightest key may lose its counter to it.
func (w *Window[A]) addRolled(s *Sketch[A], key []byte, hash uint64, wt float64) *A {
	count, err, aux := s.lookup(key, hash)
	before := 0.0
	if aux != nil {
		before = count - err
	}
	var evHash uint64
	var evLower float64
	mayEvict := aux == nil && len(s.slots) == s.capacity
	if mayEvict {
		sl := &s.slots[s.heap[0].slot]
		evHash, evLower = sl.hash, s.heap[0].count-sl.err
	}
	got := s.AddHashed(key, hash, wt)
	if got == nil {
		return nil // counted in its α counter only: no lower bound changed
	}
	if mayEvict {
		w.roll.subOne(evHash, evLower)
	}
	count, err, _ = s.lookup(key, hash)
	w.roll.addOne(key, hash, count-err-before, aux == nil)
	return got
}

// Advance moves the window forward to now without counting anything, so that a table read at now covers
// the buckets complete by then even when nothing arrived lately.
func (w *Window[A]) Advance(now time.Time) {
	num := now.UnixNano() / w.width
	if b := &w.buckets[w.cur]; !b.used || num > b.num {
		w.advance(num)
	}
}

// Newest returns the start of the newest bucket, zero before the window is used.
func (w *Window[A]) Newest() time.Time {
	if b := &w.buckets[w.cur]; b.used {
		return time.Unix(0, b.num*w.width)
	}
	return time.Time{}
}

// advance makes bucket num the newest. Every bucket reused on the way leaves the rolling sums if it is still
// there (no read since it left the window) and is reset, so a window idle for a while does not resurrect old
// counts. The buckets that complete join the rolling sums at the next read (settle).
func (w *Window[A]) advance(num int64) {
	size := len(w.buckets)
	b := &w.buckets[w.cur]
	steps := num - b.num
	if !b.used || steps > int64(size) {
		steps = int64(size)
	}
	for i := int64(1); i <= steps; i++ {
		w.cur = (w.cur + 1) % size
		nb := &w.buckets[w.cur]
		if nb.rolled {
			w.roll.sub(nb.sketch)
		}
		nb.sketch.Reset()
		nb.num = num - steps + i
		nb.used, nb.rolled = true, false
	}
}

// settle brings the rolling sums up to date: the buckets that left the window are taken back, the complete
// buckets of the window join.
func (w *Window[A]) settle() {
	newest := &w.buckets[w.cur]
	if !newest.used {
		return
	}
	last := newest.num - Grace // the complete buckets are [last-n, last)
	for i := range w.buckets {
		if b := &w.buckets[i]; b.rolled && b.num < last-int64(w.n) {
			w.roll.sub(b.sketch)
			b.rolled = false
		}
	}
	for i := range w.buckets {
		if b := &w.buckets[i]; b.used && !b.rolled && b.num < last && b.num >= last-int64(w.n) {
			w.roll.add(b.sketch)
			b.rolled = true
		}
	}
}

// Span returns the span of the complete buckets a table read now covers: [start, end), end being the start
// of the oldest open bucket. Before the window is used (At or Advance) it is empty.
func (w *Window[A]) Span() (start, end time.Time) {
	b := &w.buckets[w.cur]
	if !b.used {
		return time.Time{}, time.Time{}
	}
	last := b.num - Grace
	return time.Unix(0, (last-int64(w.n))*w.width), time.Unix(0, last*w.width)
}

// Each calls fn with every complete bucket of the window (see Span), oldest first, with the start of its
// span.
func (w *Window[A]) Each(fn func(s *Sketch[A], start time.Time)) {
	w.settle()
	w.each(fn)
}

// each is Each on sums already settled.
func (w *Window[A]) each(fn func(s *Sketch[A], start time.Time)) {
	size := len(w.buckets)
	for i := 1; i <= size; i++ {
		b := &w.buckets[(w.cur+i)%size]
		if b.rolled {
			fn(b.sketch, time.Unix(0, b.num*w.width))
		}
	}
}

// Totals returns the exact total weight of the complete buckets and the sum of their Min: an upper bound on
// the weight of a key that no complete bucket monitors.
func (w *Window[A]) Totals() (total, unlisted float64) {
	w.Each(func(s *Sketch[A], _ time.Time) {
		total += s.Total()
		unlisted += s.Min()
	})
	return total, unlisted
}

// Top returns the n keys of the complete buckets with the largest lower bounds, largest first (ties by key),
// each with its bounds and aux data gathered from every complete bucket: Count sums Count-Err where a
// bucket monitors the key, Err sums the Err there and the key's own bound (α counter) in every full bucket
// that does not, and merge adds the buckets' aux data in bucket order.
func (w *Window[A]) Top(n int, merge func(dst, src *A)) []Entry[A] {
	w.settle()
	picked := w.roll.top(n)
	out := make([]Entry[A], len(picked))
	for i, p := range picked {
		e := &out[i]
		key := w.roll.key(p)
		e.Key = string(key)
		hash := w.roll.entries[p].hash
		w.each(func(s *Sketch[A], _ time.Time) {
			count, err, aux := s.lookup(key, hash)
			if aux != nil {
				e.Count += count - err
				e.Err += err
				merge(&e.Aux, aux)
				return
			}
			e.Err += err // the key's α counter when the bucket is full, 0 when it never saw the key
		})
	}
	slices.SortFunc(out, compareEntries[A])
	return out
}

// compareEntries orders entries by lower bound, largest first, then by the smaller error, then by key.
func compareEntries[A any](a, b Entry[A]) int {
	if c := cmp.Compare(b.Count, a.Count); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Err, b.Err); c != 0 {
		return c
	}
	return cmp.Compare(a.Key, b.Key)
}

// rolling holds, for every key monitored in a complete bucket, the sum of its lower bounds there. Keys are
// indexed by their 64-bit Hash (two keys with the same hash would share a sum; Top looks every shown key up
// by its bytes, so a shown figure is never another key's) in an open-addressing table of entry numbers, and
// copied into reused entries, so updates allocate nothing once the window has seen its largest number of keys.
type rolling struct {
	slots   []rollSlot // linear probing, at most half full
	mask    uint64
	live    int
	entries []rollEntry
	sums    []rollSum // beside entries: the hot part of each
	free    []int32
}

// rollSlot is one slot of the index: the key's hash beside its entry, so probing touches no entry.
type rollSlot struct {
	hash  uint64
	entry int32 // entry number + 1, 0 for an empty slot
}

type rollEntry struct {
	hash uint64
	klen int32
	inl  [inlineKey]byte
	long []byte
}

type rollSum struct {
	lower float64
	n     int32 // complete buckets that monitor the key; 0 for a free entry
}

func newRolling() rolling { return rolling{slots: make([]rollSlot, 64), mask: 63} }

// find returns the slot holding hash, or the empty slot where it would go, and whether it was found.
func (r *rolling) find(hash uint64) (uint64, bool) {
	for i := hash & r.mask; ; i = (i + 1) & r.mask {
		sl := &r.slots[i]
		if sl.entry == 0 {
			return i, false
		}
		if sl.hash == hash {
			return i, true
		}
	}
}

// remove empties slot i, shifting later entries of its probe run back so lookups stay correct.
func (r *rolling) remove(i uint64) {
	for {
		r.slots[i] = rollSlot{}
		j := i
		for {
			j = (j + 1) & r.mask
			sl := r.slots[j]
			if sl.entry == 0 {
				return
			}
			home := sl.hash & r.mask
			if (j-home)&r.mask >= (j-i)&r.mask {
				r.slots[i] = sl
				i = j
				break
			}
		}
	}
}

// grow doubles the table.
func (r *rolling) grow() {
	old := r.slots
	r.slots = make([]rollSlot, 2*len(old))
	r.mask = uint64(len(r.slots) - 1)
	for _, sl := range old {
		if sl.entry != 0 {
			at, _ := r.find(sl.hash)
			r.slots[at] = sl
		}
	}
}

func (r *rolling) key(i int32) []byte {
	e := &r.entries[i]
	if e.klen <= inlineKey {
		return e.inl[:e.klen]
	}
	return e.long
}

// add accounts a bucket that just completed.
func (r *rolling) add(s sketchKeys) {
	s.eachHash(func(key []byte, hash uint64, lower float64) { r.addOne(key, hash, lower, true) })
}

// sub takes back a bucket that leaves the window.
func (r *rolling) sub(s sketchKeys) {
	s.eachHash(func(_ []byte, hash uint64, lower float64) { r.subOne(hash, lower) })
}

// addOne adds lower to a key's sum, and one bucket when newBucket (a bucket that starts monitoring it).
func (r *rolling) addOne(key []byte, hash uint64, lower float64, newBucket bool) {
	at, ok := r.find(hash)
	var i int32
	if ok {
		i = r.slots[at].entry - 1
	} else {
		if 2*(r.live+1) > len(r.slots) {
			r.grow()
			at, _ = r.find(hash)
		}
		if n := len(r.free); n > 0 {
			i, r.free = r.free[n-1], r.free[:n-1]
		} else {
			i = int32(len(r.entries))
			r.entries = append(r.entries, rollEntry{})
			r.sums = append(r.sums, rollSum{})
		}
		e := &r.entries[i]
		e.hash, e.klen = hash, int32(len(key))
		r.sums[i] = rollSum{}
		if len(key) <= inlineKey {
			copy(e.inl[:], key)
		} else {
			e.long = append(e.long[:0], key...)
		}
		r.slots[at] = rollSlot{hash: hash, entry: i + 1}
		r.live++
	}
	e := &r.sums[i]
	e.lower += lower
	if newBucket {
		e.n++
	}
}

// subOne takes back a key's lower bound in a bucket that stops monitoring it.
func (r *rolling) subOne(hash uint64, lower float64) {
	at, ok := r.find(hash)
	if !ok {
		return
	}
	i := r.slots[at].entry - 1
	e := &r.sums[i]
	e.lower -= lower
	if e.n--; e.n <= 0 {
		r.remove(at)
		r.live--
		e.n, e.lower = 0, 0
		r.free = append(r.free, i)
	}
}

// sketchKeys is what rolling needs of a sketch, whatever its aux type.
type sketchKeys interface {
	eachHash(fn func(key []byte, hash uint64, lower float64))
}

// top returns the entries of the n largest sums, in no particular order.
func (r *rolling) top(n int) []int32 {
	if n <= 0 {
		return nil
	}
	h := &pickHeap{r: r}
	for i := range r.sums {
		if r.sums[i].n == 0 {
			continue
		}
		if len(h.idx) < n {
			heap.Push(h, int32(i))
			continue
		}
		if h.less(h.idx[0], int32(i)) {
			h.idx[0] = int32(i)
			heap.Fix(h, 0)
		}
	}
	return h.idx
}

// pickHeap is a min-heap of rolling entries: the lightest of those picked so far on top.
type pickHeap struct {
	r   *rolling
	idx []int32
}

// less orders by sum, then by key descending, so that among equal sums the smaller keys are kept.
func (h *pickHeap) less(a, b int32) bool {
	ea, eb := &h.r.sums[a], &h.r.sums[b]
	if ea.lower != eb.lower {
		return ea.lower < eb.lower
	}
	return bytes.Compare(h.r.key(a), h.r.key(b)) > 0
}

func (h *pickHeap) Len() int           { return len(h.idx) }
func (h *pickHeap) Less(i, j int) bool { return h.less(h.idx[i], h.idx[j]) }
func (h *pickHeap) Swap(i, j int)      { h.idx[i], h.idx[j] = h.idx[j], h.idx[i] }
func (h *pickHeap) Push(x any)         { h.idx = append(h.idx, x.(int32)) }
func (h *pickHeap) Pop() any {
	x := h.idx[len(h.idx)-1]
	h.idx = h.idx[:len(h.idx)-1]
	return x
}
