package tree

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fleettop/fleettop/model"
)

// SnapshotSource hands out the latest Snapshot; *model.Fleet is one.
type SnapshotSource interface {
	Snapshot() *model.Snapshot
}

// Options tune a Tree; zero fields take the defaults.
type Options struct {
	// Retention is how far back the tree keeps points beyond the snapshot's own history, and how long a
	// series that left the snapshots (a host gone, a talker out of the top N) stays listed.
	Retention time.Duration
	// MaxSeries bounds the series held. Beyond it, series that left the snapshots longest ago are dropped
	// first; series of the current snapshot beyond it are not kept (Stats.Refused).
	MaxSeries int
}

// Defaults for zero Options fields.
const (
	DefaultRetention = time.Hour
	DefaultMaxSeries = 50000
)

func (o *Options) fill() {
	if o.Retention <= 0 {
		o.Retention = DefaultRetention
	}
	if o.MaxSeries <= 0 {
		o.MaxSeries = DefaultMaxSeries
	}
}

// Stats describe what a Tree holds.
type Stats struct {
	Listed       int    // series Find and FindTagged can see
	Held         int    // series with kept points, listed or not (other group-by fields, shadowed paths)
	HistoryBytes int    // memory of the kept points beyond the snapshots' own slices
	Snapshots    uint64 // snapshots taken in
	Refused      uint64 // series not kept because MaxSeries was reached
	Evicted      uint64 // series dropped before their retention ran out, to make room
	Ignored      uint64 // snapshots not taken in: older than the last, or with a step that is not whole seconds
}

// Tree is fleettop's metric tree over the model's Snapshots. It serves query.Source, query.Tree and
// query.TagFinder, and takes in the source's latest Snapshot before answering.
type Tree struct {
	src SnapshotSource
	opt Options

	mu       sync.RWMutex
	polled   *model.Snapshot // the latest snapshot looked at, taken in or not
	last     *model.Snapshot // the latest snapshot taken in
	step     int64           // seconds; 0 before the first snapshot
	latest   int64           // bin of the latest snapshot
	horizon  int64           // the newest bin series of points are complete to (Snapshot.Horizon)
	holdBins int64           // how many bins back from latest Fetch reaches
	gen      uint64          // counts snapshots taken in; a record seen in the latest has gen == this
	groupBy  string

	records map[string]*record // by identity key
	index   index              // the listed records by path
	hosts   map[string]*hostInfo
	walker  walker
	key     []byte
	pending []pendingRecord
	stats   Stats
}

// record is one series the tree holds.
type record struct {
	key      string
	path     string
	id       identity
	grouping string            // for byHost and byGroup: the group-by field its path was built under
	tags     map[string]string // without "name"; shared by a host's series; never modified once set
	listed   bool
	gen      uint64 // the latest snapshot that had it
	seen     int64  // bin of that snapshot

	recent     []float64 // the latest snapshot's points (shared with it, never modified)
	recentLast int64     // bin of recent's last point
	history    *ring[float32]
	values     *ring[float64]
}

// hostInfo caches a host's tags between snapshots, so its series share one map that changes only when the
// host's ENC data does.
type hostInfo struct {
	group, name, env string
	classes          []string
	params           map[string]string
	tags             map[string]string
	seen             int64
}

// pendingRecord is a series met in a snapshot that the tree does not hold yet.
type pendingRecord struct {
	key, path, grouping string
	id                  identity
	tags                map[string]string
	points              []float64
	last                int64
	value               float64
}

// New returns a tree over src.
func New(src SnapshotSource, opt Options) *Tree {
	opt.fill()
	return &Tree{
		src:     src,
		opt:     opt,
		records: make(map[string]*record),
		hosts:   make(map[string]*hostInfo),
		index:   newIndex(),
	}
}

// Refresh takes in the source's latest Snapshot if it is new, and returns it. Queries call it themselves;
// the UI and collect call it on their tick (at least once per Snapshot.Step) so that values the snapshots
// carry without history (groups' disk and memory, talkers, URLs, keys, agents, fleettop's own) are recorded
// at every step even when nobody asks.
func (t *Tree) Refresh() *model.Snapshot {
	s := t.src.Snapshot()
	if s == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if s != t.polled {
		t.polled = s
		t.ingest(s)
	}
	return s
}

// Stats returns what the tree holds now.
func (t *Tree) Stats() Stats {
	t.mu.RLock()
	defer t.mu.RUnlock()
	st := t.stats
	st.Listed = t.index.len()
	st.Held = len(t.records)
	for _, r := range t.records {
		if r.history != nil {
			st.HistoryBytes += r.history.bytes()
		}
		if r.values != nil {
			st.HistoryBytes += r.values.bytes()
		}
	}
	return st
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// ingest takes in one snapshot. Caller holds t.mu.
func (t *Tree) ingest(s *model.Snapshot) {
	if s.Time.IsZero() {
		return // the empty snapshot a fleet starts with
	}
	step := int64(s.Step / time.Second)
	if step < 1 || s.Step%time.Second != 0 || t.last != nil && s.Time.Before(t.last.Time) {
		t.stats.Ignored++
		return
	}
	if step != t.step {
		t.reset(step)
	}
	t.last = s
	t.gen++
	t.stats.Snapshots++
	t.latest = floorDiv(s.Time.Unix(), step)
	t.horizon = t.latest
	if !s.Horizon.IsZero() {
		t.horizon = min(t.latest, floorDiv(s.Horizon.Unix(), step)-1)
	}
	retentionBins := int64(t.ringBins())
	regroup := s.GroupBy != t.groupBy
	t.groupBy = s.GroupBy

	longest := 0
	t.pending = t.pending[:0]
	t.walker.walk(s, func(r *seriesRef) {
		longest = max(longest, len(r.points))
		t.observe(r)
	})
	t.holdBins = retentionBins + int64(longest)

	// Forget what has been away longer than the retention, and what belongs to another grouping.
	for k, r := range t.records {
		if r.gen != t.gen && r.seen <= t.latest-retentionBins {
			t.drop(k, r)
			continue
		}
		if regroup && r.id != byPath && r.gen != t.gen {
			t.unlist(r)
		}
	}
	for id, h := range t.hosts {
		if h.seen <= t.latest-retentionBins {
			delete(t.hosts, id)
		}
	}
	t.admit()
}

// reset forgets everything: points of another step cannot be mixed in.
func (t *Tree) reset(step int64) {
	t.step = step
	t.last = nil
	clear(t.records)
	clear(t.hosts)
	t.index = newIndex()
}

// observe applies one series of the snapshot being taken in.
func (t *Tree) observe(r *seriesRef) {
	t.key = appendKey(t.key[:0], r, t.groupBy)
	rec := t.records[string(t.key)]
	var tags map[string]string
	switch r.id {
	case byHost:
		tags = t.hostTags(r.host)
	case byGroup:
		if rec != nil {
			tags = rec.tags
		} else {
			tags = map[string]string{"group": r.group.Name}
		}
	}
	grouping := ""
	if r.id != byPath {
		grouping = t.groupBy
	}
	if rec == nil {
		t.pending = append(t.pending, pendingRecord{
			key: string(t.key), path: string(r.path), id: r.id, grouping: grouping, tags: tags,
			points: r.points, last: r.last, value: r.value,
		})
		return
	}
	rec.gen, rec.seen, rec.tags, rec.grouping = t.gen, t.latest, tags, grouping
	if string(r.path) != rec.path || !rec.listed {
		t.unlist(rec)
		rec.path = string(r.path)
		t.list(rec)
	}
	t.record(rec, r.points, r.last, r.value)
}

// appendKey writes the identity of a series: a host's series follow its ID, a group's are kept per group-by
// field, the rest are their path. Paths never hold a NUL byte, so the three kinds cannot collide.
func appendKey(b []byte, r *seriesRef, groupBy string) []byte {
	switch r.id {
	case byHost:
		b = append(b, "\x00h"...)
		b = append(b, r.host.ID...)
		b = append(b, 0)
		return append(b, r.path[r.leaf:]...)
	case byGroup:
		b = append(b, "\x00g"...)
		b = append(b, groupBy...)
		b = append(b, 0)
		return append(b, r.path...)
	}
	return append(b, r.path...)
}

// record stores the points (the last in bin last) or the value of a snapshot in rec.
func (t *Tree) record(rec *record, points []float64, last int64, value float64) {
	if points != nil {
		first := last - int64(len(points)) + 1
		t.commit(rec, first)
		rec.recent, rec.recentLast = points, last
		return
	}
	t.commit(rec, t.latest+1)
	rec.recent = nil
	if rec.values == nil {
		if math.IsNaN(value) {
			return
		}
		rec.values = newRing[float64](t.ringBins())
	}
	rec.values.set(t.latest, value)
}

// commit moves the points of rec.recent older than bin into the history ring: the new snapshot no longer
// carries them.
func (t *Tree) commit(rec *record, bin int64) {
	if rec.recent == nil {
		return
	}
	first := rec.recentLast - int64(len(rec.recent)) + 1
	for b := first; b < bin && b <= rec.recentLast; b++ {
		v := rec.recent[b-first]
		if math.IsNaN(v) {
			continue
		}
		if rec.history == nil {
			rec.history = newRing[float32](t.ringBins())
		}
		rec.history.set(b, v)
	}
}

func (t *Tree) ringBins() int {
	return int((int64(t.opt.Retention/time.Second) + t.step - 1) / t.step)
}

// admit creates the records met for the first time, making room under MaxSeries by dropping the series that
// left the snapshots longest ago.
func (t *Tree) admit() {
	if len(t.pending) == 0 {
		return
	}
	if over := len(t.records) + len(t.pending) - t.opt.MaxSeries; over > 0 {
		var away []*record
		for _, r := range t.records {
			if r.gen != t.gen {
				away = append(away, r)
			}
		}
		slices.SortFunc(away, func(a, b *record) int {
			if c := cmp.Compare(a.seen, b.seen); c != 0 {
				return c
			}
			return strings.Compare(a.key, b.key)
		})
		for _, r := range away[:min(over, len(away))] {
			t.drop(r.key, r)
			t.stats.Evicted++
		}
	}
	for i := range t.pending {
		p := &t.pending[i]
		if rec := t.records[p.key]; rec != nil {
			t.record(rec, p.points, p.last, p.value) // the same series twice in one snapshot: the last one wins
			continue
		}
		if len(t.records) >= t.opt.MaxSeries {
			t.stats.Refused++
			continue
		}
		rec := &record{key: p.key, path: p.path, id: p.id, grouping: p.grouping, tags: p.tags, gen: t.gen, seen: t.latest}
		t.records[p.key] = rec
		t.list(rec)
		t.record(rec, p.points, p.last, p.value)
	}
	clear(t.pending) // let go of the snapshot's slices
	t.pending = t.pending[:0]
}

func (t *Tree) drop(key string, r *record) {
	t.unlist(r)
	delete(t.records, key)
}

// list puts rec in the index. When another record has the same path, the one seen last wins.
func (t *Tree) list(rec *record) {
	if rec.id != byPath && rec.grouping != t.groupBy {
		return
	}
	if old := t.index.get(rec.path); old != nil && old != rec {
		if old.seen > rec.seen {
			return
		}
		old.listed = false
	}
	t.index.put(rec.path, rec)
	rec.listed = true
}

func (t *Tree) unlist(rec *record) {
	if rec.listed {
		t.index.remove(rec.path, rec)
		rec.listed = false
	}
}

// reservedTags are the tags fleettop sets itself; ENC parameters of these names are left out.
var reservedTags = []string{"name", "environment", "classes", "group", "host"}

// hostTags returns the tags of a host's series: its ENC parameters, environment and classes (joined with
// ","), its group and its name.
func (t *Tree) hostTags(h *model.HostRow) map[string]string {
	info := t.hosts[h.ID]
	if info != nil && info.group == h.Group && info.name == h.Name && info.env == h.Environment &&
		slices.Equal(info.classes, h.Classes) && maps.Equal(info.params, h.Params) {
		info.seen = t.latest
		info.params = h.Params
		return info.tags
	}
	tags := make(map[string]string, len(h.Params)+4)
	for k, v := range h.Params {
		if ValidTagName(k) && v != "" && !slices.Contains(reservedTags, k) {
			tags[k] = v
		}
	}
	if h.Environment != "" {
		tags["environment"] = h.Environment
	}
	if len(h.Classes) > 0 {
		tags["classes"] = strings.Join(h.Classes, ",")
	}
	if h.Group != "" {
		tags["group"] = h.Group
	}
	if h.Name != "" {
		tags["host"] = h.Name
	}
	t.hosts[h.ID] = &hostInfo{
		group: h.Group, name: h.Name, env: h.Environment, classes: slices.Clone(h.Classes), params: h.Params,
		tags: tags, seen: t.latest,
	}
	return tags
}

// ValidTagName reports whether a Graphite tag may be called s: not empty, none of ;!^= (graphite-web's
// rule) and no whitespace or '~', which seriesByTag expressions could not name.
func ValidTagName(s string) bool {
	return s != "" && !strings.ContainsAny(s, ";!^=~ \t\r\n")
}

// at is rec's value in bin: from the latest snapshot's points where they reach, else from what the tree kept.
func (rec *record) at(bin int64) float64 {
	if n := int64(len(rec.recent)); n > 0 && bin <= rec.recentLast && bin > rec.recentLast-n {
		return rec.recent[n-1-(rec.recentLast-bin)]
	}
	v := math.NaN()
	if rec.history != nil {
		v = rec.history.get(bin)
	}
	if math.IsNaN(v) && rec.values != nil {
		v = rec.values.get(bin)
	}
	return v
}
