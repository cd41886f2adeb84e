package topk

import "slices"

// Summary merges sketches, or the top entries of other summaries (the tables of several collectors), into
// one table with correct bounds. Not safe for concurrent use.
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

// Entry is one key of a table: a sketch's monitored key, or a merged one.
type Entry[A any] struct {
	Key   string
	Count float64 // lower bound: the weight that is certain (Count ≤ true weight)
	Err   float64 // true weight ≤ Count+Err
	Aux   A       // describes the weight of Count
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
		m.add(key, count-err, err, min, aux)
	})
}

// AddEntry merges one entry of another summary (a remote collector's table, say) whose sketches' Min add up
// to min.
func (m *Summary[A]) AddEntry(e *Entry[A], min float64) {
	m.add([]byte(e.Key), e.Count, e.Err, min, &e.Aux)
}

// AddTotals accounts the total and the Min sum of a summary whose entries come through AddEntry.
func (m *Summary[A]) AddTotals(total, minSum float64) {
	m.total += total
	m.minSum += minSum
}

func (m *Summary[A]) add(key []byte, lower, err, min float64, aux *A) {
	i, ok := m.index[string(key)]
	if !ok {
		i = len(m.entries)
		m.entries = append(m.entries, merged[A]{Entry: Entry[A]{Key: string(key)}})
		m.index[m.entries[i].Key] = i
	}
	e := &m.entries[i]
	e.Count += lower
	e.Err += err
	e.presentMins += min
	m.merge(&e.Aux, aux)
}

// Total returns the exact total weight of the merged sketches.
func (m *Summary[A]) Total() float64 { return m.total }

// Unlisted returns an upper bound on the weight of any key that is not among the merged entries (the sum of
// the sketches' Min).
func (m *Summary[A]) Unlisted() float64 { return m.minSum }

// Len returns the number of merged entries.
func (m *Summary[A]) Len() int { return len(m.entries) }

// Top returns the n entries with the largest lower bounds, largest first (ties by the smaller error, then by
// key). An entry's Err charges each sketch or summary that does not list the key with its Min (Unlisted).
func (m *Summary[A]) Top(n int) []Entry[A] {
	all := make([]Entry[A], len(m.entries))
	for i := range m.entries {
		e := &m.entries[i]
		all[i] = e.Entry
		all[i].Err += m.minSum - e.presentMins
	}
	slices.SortFunc(all, compareEntries[A])
	return all[:min(n, len(all))]
}

// Rank sorts entries the way tables are ranked (largest lower bound first, then the smaller error, then by
// key) and keeps the first n: the top of several windows whose keys are disjoint (table shards).
func Rank[A any](entries []Entry[A], n int) []Entry[A] {
	slices.SortFunc(entries, compareEntries[A])
	return entries[:min(n, len(entries))]
}
