// Package topk finds the heaviest keys of a weighted stream in bounded memory: a Filtered Space-Saving sketch
// per time bucket, merged over a sliding window of buckets (and over shards) when a table is read.
//
// Algorithm. A Sketch monitors at most m keys (Space-Saving, Metwally et al. 2005) and keeps an array of α
// counters indexed by a hash of the key (Filtered Space-Saving, Homem & Carvalho 2010). A monitored key's
// weight adds to its counter. An unmonitored key's weight adds to its α counter while that stays below the
// smallest monitored estimate, Min; once it would reach Min, the key takes over the lightest counter with the
// estimate α+w and the error α, and the evicted key's count is kept in its own α counter (as a maximum). Keys
// seen once, the bulk of sampled traffic, thus cost a hash and an add instead of an eviction.
//
// Error bounds, for the weight counted since the sketch's last Reset (every bound is exact arithmetic, not
// probabilistic):
//   - a monitored key: Count-Err ≤ true weight ≤ Count, and Err ≤ Min;
//   - a key that is not monitored: true weight ≤ its α counter ≤ Min;
//   - hence every key heavier than Min is monitored, and Total is exact.
//
// Min is at most N/m for plain Space-Saving; the filter keeps one-off keys out of the counters, so in practice
// Min stays well below N/m (the tests check Min ≤ N/m on Zipf streams), but N/m is not a proven bound for it.
//
// Merging sketches (the buckets of a window, the shards of a collector, the collectors of a site) keeps both
// bounds: a key's merged lower bound is the sum of Count-Err over the sketches that monitor it (a sketch that
// does not monitor it may have seen it, never negatively), and its upper bound adds Err there and, for every
// sketch that does not monitor it, that sketch's bound for it (its α counter, or Min). Tables show and rank
// the lower bound, the weight that is guaranteed, with the distance to the upper bound as its error; a key
// that is exact in every sketch (the heavy keys of each bucket, in practice) shows its exact weight. A key
// missing from every sketch weighs at most the sum of their Min (Summary.Unlisted).
//
// Aux data (ports, status mixes, durations) is only accumulated while a key is monitored: it describes the
// same weight as the lower bound.
package topk

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
)

// Sketch is a weighted Space-Saving summary with a fixed number of counters. The zero value is not usable;
// call NewSketch. It is not safe for concurrent use.
//
// Keys are found through an open-addressing table of slot numbers (linear probing, at most half full, deleted
// by backward shift) rather than a Go map: a new key replacing the lightest one costs one hash and a few
// probes instead of three map operations, and nothing is allocated once every slot's key buffer has grown.
type Sketch[A any] struct {
	capacity  int
	salt      uint64       // randomises table positions (not results) against keys chosen to collide
	table     []tableEntry // len a power of two ≥ 2 × capacity
	mask      uint32
	alpha     []float64 // the filter's counters, len a power of two ≥ alphaPerKey × capacity
	alphaMask uint64
	slots     []slot[A]
	heap      []heapEntry // counts live here, next to each other, for cheap sifting: a min-heap once full
	full      bool        // len(slots) == capacity: heap is ordered (until then nothing is evicted, no order is needed)
	arena     []byte      // keys up to inlineKey bytes, slot i's at i*inlineKey: one cache miss less per hit
	total     float64
}

// inlineKey is the longest key kept in the arena (an IPv6 pair is 34 bytes); longer keys get their own buffer.
const inlineKey = 40

// alphaPerKey is the number of α counters per monitored key: fewer collisions between unmonitored keys mean
// smaller α values and smaller errors for the keys admitted.
const alphaPerKey = 4

type tableEntry struct {
	hash uint32 // the key's salted position hash: home position and a cheap pre-check
	slot int32  // slot number + 1; 0 is empty
}

// Hashing. A key's hash is a fixed function of its bytes (Hash), so which keys share an α counter, and with it
// every estimate, is the same from run to run: the same input gives the same tables. Table positions mix that
// hash with a random salt per sketch, so keys chosen to collide on purpose cannot make every lookup probe the
// whole table; positions do not change any result.
const (
	hashK0 = 0xa0761d6478bd642f
	hashK1 = 0xe7037ed1a0b428db
	hashK2 = 0x8ebc6af09c88c6e3
)

func mum(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// Hash is the fixed 64-bit hash sketches use for keys (wyhash-style multiply-mix over 8-byte words).
func Hash(key []byte) uint64 {
	h := uint64(len(key)) ^ hashK0
	for len(key) >= 8 {
		h = mum(h^binary.LittleEndian.Uint64(key), hashK1)
		key = key[8:]
	}
	var tail uint64
	for i, c := range key {
		tail |= uint64(c) << (8 * i)
	}
	return mum(h^tail^hashK2, hashK1^uint64(len(key)))
}

// pos returns the salted table position hash of a key hash.
func (s *Sketch[A]) pos(hash uint64) uint32 { return uint32(mum(hash^s.salt, hashK2)) }

type heapEntry struct {
	count float64
	slot  int32
}

type slot[A any] struct {
	hash uint64
	err  float64
	long []byte // a key longer than inlineKey: owned buffer, reused when the slot is taken over
	klen int32
	pos  int32 // index of this slot in heap
	aux  A
}

// NewSketch returns an empty sketch that monitors at most capacity keys (at least 1).
func NewSketch[A any](capacity int) *Sketch[A] {
	if capacity < 1 {
		capacity = 1
	}
	size := 2
	for size < 2*capacity {
		size *= 2
	}
	alphas := 1
	for alphas < alphaPerKey*capacity {
		alphas *= 2
	}
	// Slots, heap, arena and α counters grow as keys come: an idle table costs little.
	return &Sketch[A]{
		capacity:  capacity,
		salt:      rand.Uint64(),
		table:     make([]tableEntry, size),
		mask:      uint32(size - 1),
		alphaMask: uint64(alphas - 1),
	}
}

// find returns the table position holding key, or the empty position where it would go, and whether found.
func (s *Sketch[A]) find(key []byte, h uint32) (uint32, bool) {
	i := h & s.mask
	for {
		e := s.table[i]
		if e.slot == 0 {
			return i, false
		}
		if e.hash == h && bytes.Equal(s.key(e.slot-1), key) {
			return i, true
		}
		i = (i + 1) & s.mask
	}
}

// remove empties table position i, shifting later entries of the probe run back so lookups stay correct.
func (s *Sketch[A]) remove(i uint32) {
	for {
		s.table[i] = tableEntry{}
		j := i
		for {
			j = (j + 1) & s.mask
			e := s.table[j]
			if e.slot == 0 {
				return
			}
			home := e.hash & s.mask
			// e may move back to i when its home is not cyclically inside (i, j].
			if (j-home)&s.mask >= (j-i)&s.mask {
				s.table[i] = e
				i = j
				break
			}
		}
	}
}

// key returns slot i's key.
func (s *Sketch[A]) key(i int32) []byte {
	sl := &s.slots[i]
	if sl.klen <= inlineKey {
		off := int(i) * inlineKey
		return s.arena[off : off+int(sl.klen) : off+int(sl.klen)]
	}
	return sl.long
}

// setKey stores a copy of key as slot i's key.
func (s *Sketch[A]) setKey(i int32, key []byte) {
	sl := &s.slots[i]
	sl.klen = int32(len(key))
	if len(key) <= inlineKey {
		if end := (int(i) + 1) * inlineKey; len(s.arena) < end {
			s.arena = append(s.arena, make([]byte, end-len(s.arena))...)
		}
		copy(s.arena[int(i)*inlineKey:], key)
		return
	}
	sl.long = append(sl.long[:0], key...)
}

// alphaIndex picks a key's α counter from the hash bits the table does not use.
func (s *Sketch[A]) alphaIndex(hash uint64) uint64 { return (hash >> 32) & s.alphaMask }

// Add counts weight w (> 0) for key. When the key is monitored, or becomes monitored by this weight, Add
// returns its aux data for the caller to update; otherwise it returns nil. A newly monitored key's aux data
// is the zero value. key is copied; the caller may reuse it. The returned pointer is valid until the next call.
func (s *Sketch[A]) Add(key []byte, w float64) *A { return s.AddHashed(key, Hash(key), w) }

// AddHashed is Add for a caller that has computed Hash(key) already.
func (s *Sketch[A]) AddHashed(key []byte, hash uint64, w float64) *A {
	s.total += w
	h := s.pos(hash)
	at, found := s.find(key, h)
	if found {
		sl := &s.slots[s.table[at].slot-1]
		s.heap[sl.pos].count += w
		if s.full {
			s.down(int(sl.pos))
		}
		return &sl.aux
	}
	if len(s.slots) < s.capacity {
		// Until the sketch is full nothing is evicted and every α counter is zero.
		i := int32(len(s.slots))
		s.slots = append(s.slots, slot[A]{hash: hash, pos: int32(len(s.heap))})
		s.setKey(i, key)
		s.table[at] = tableEntry{hash: h, slot: i + 1}
		s.heap = append(s.heap, heapEntry{count: w, slot: i})
		if len(s.slots) == s.capacity {
			s.heapify()
		}
		return &s.slots[i].aux
	}
	if s.alpha == nil {
		s.alpha = make([]float64, s.alphaMask+1)
	}
	ai := s.alphaIndex(hash)
	alpha := s.alpha[ai]
	min := s.heap[0].count
	if alpha+w < min {
		s.alpha[ai] = alpha + w
		return nil
	}
	i := s.heap[0].slot
	sl := &s.slots[i]
	// The evicted key's weight is at most its count: its α counter keeps that bound.
	if ev := s.alphaIndex(sl.hash); s.alpha[ev] < min {
		s.alpha[ev] = min
	}
	old, _ := s.find(s.key(i), s.pos(sl.hash))
	s.remove(old)
	s.setKey(i, key)
	sl.hash = hash
	at, _ = s.find(key, h) // the removal may have shifted the empty position
	s.table[at] = tableEntry{hash: h, slot: i + 1}
	sl.err = alpha
	s.heap[0].count = alpha + w
	var zero A
	sl.aux = zero
	s.down(0)
	return &sl.aux
}

// Len returns the number of monitored keys.
func (s *Sketch[A]) Len() int { return len(s.slots) }

// Total returns the weight counted since the last Reset, exactly.
func (s *Sketch[A]) Total() float64 { return s.total }

// Min returns the smallest monitored estimate when the sketch is full, else 0: an upper bound on the weight of
// any key the sketch does not monitor.
func (s *Sketch[A]) Min() float64 {
	if len(s.slots) < s.capacity || len(s.heap) == 0 {
		return 0
	}
	return s.heap[0].count
}

// Estimate returns the estimate and its error bound for key; a key that is not monitored gets its α counter,
// an upper bound on its weight, as both.
func (s *Sketch[A]) Estimate(key []byte) (count, err float64, monitored bool) {
	count, err, aux := s.lookup(key, Hash(key))
	return count, err, aux != nil
}

// lookup returns a monitored key's count, error and aux data, or for a key that is not monitored its bound (α
// counter, 0 while the sketch is not full) as both count and error and a nil aux.
func (s *Sketch[A]) lookup(key []byte, hash uint64) (count, err float64, aux *A) {
	if at, ok := s.find(key, s.pos(hash)); ok {
		sl := &s.slots[s.table[at].slot-1]
		return s.heap[sl.pos].count, sl.err, &sl.aux
	}
	if s.alpha == nil {
		return 0, 0, nil
	}
	a := s.alpha[s.alphaIndex(hash)]
	return a, a, nil
}

// Reset forgets every key, keeping the memory for reuse.
func (s *Sketch[A]) Reset() {
	clear(s.table)
	clear(s.alpha)
	s.slots = s.slots[:0]
	s.heap = s.heap[:0]
	s.full = false
	s.total = 0
}

// Each calls fn for every monitored key, in no particular order. key aliases the sketch's memory and is valid
// only during the call.
func (s *Sketch[A]) Each(fn func(key []byte, count, err float64, aux *A)) {
	for i := range s.slots {
		sl := &s.slots[i]
		fn(s.key(int32(i)), s.heap[sl.pos].count, sl.err, &sl.aux)
	}
}

// eachHash calls fn for every monitored key with its hash and lower bound.
func (s *Sketch[A]) eachHash(fn func(key []byte, hash uint64, lower float64)) {
	for i := range s.slots {
		sl := &s.slots[i]
		fn(s.key(int32(i)), sl.hash, s.heap[sl.pos].count-sl.err)
	}
}

// The heap is 4-ary: a node's children sit side by side (64 bytes of heapEntry, one cache line), and a
// sift from the root of 512 entries visits 5 levels instead of 9. Sifts move a hole rather than swapping, so
// each level writes one entry and one slot position.
const arity = 4

func (s *Sketch[A]) place(j int, e heapEntry) {
	s.heap[j] = e
	s.slots[e.slot].pos = int32(j)
}

// heapify orders the heap when the sketch becomes full: keys are inserted unordered until then (most buckets of
// a window never fill, and an insert is then a plain append).
func (s *Sketch[A]) heapify() {
	for j := (len(s.heap) - 2) / arity; j >= 0; j-- {
		s.down(j)
	}
	s.full = true
}

// down restores the heap after the count at j grew; counts only grow, so entries only move down.
func (s *Sketch[A]) down(j int) {
	e := s.heap[j]
	n := len(s.heap)
	for {
		first := arity*j + 1
		if first >= n {
			break
		}
		c := first
		for k := first + 1; k < min(first+arity, n); k++ {
			if s.heap[k].count < s.heap[c].count {
				c = k
			}
		}
		if s.heap[c].count >= e.count {
			break
		}
		s.place(j, s.heap[c])
		j = c
	}
	s.place(j, e)
}
