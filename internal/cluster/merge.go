package cluster

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/fleettop/fleettop/model"
)

// DefaultStaleAfter is how long a collector may go without publishing before its hosts show as stale: it
// publishes every second, and a dashboard merging every 250 ms shows it stale within 2 s.
const DefaultStaleAfter = 1500 * time.Millisecond

// keepStates is how many of a collector's latest states a Collector keeps, so that every collector's tables
// can be merged at the same window although they publish at different moments of the second.
const keepStates = 4

// Collector is what a subscriber holds of one collector: its latest states (newest last), and by host ID its
// hosts' infos, keyframes, deltas and the series they make, and when it was last heard from. Its memory is
// bounded by keepStates states and one of each per host of its latest state (plus those that arrived before
// the state that lists their host, MaxHosts at most).
type Collector struct {
	ID       string
	States   []*State
	Series   map[string]*Series // the series as they are: the keyframe with its delta applied
	Keys     map[string]*Series // the latest keyframes
	Deltas   map[string]*Delta  // the latest deltas (applied, or waiting for their keyframe)
	Infos    map[string]*Info
	LastSeen time.Time // of the latest state: staleness goes by it
	Heard    time.Time // of the latest message of any kind: forgetting goes by it
}

// NewCollector returns an empty collector.
func NewCollector(id string) *Collector {
	return &Collector{ID: id, Series: make(map[string]*Series), Keys: make(map[string]*Series),
		Deltas: make(map[string]*Delta), Infos: make(map[string]*Info)}
}

// Latest is the newest state, nil before the first.
func (c *Collector) Latest() *State {
	if len(c.States) == 0 {
		return nil
	}
	return c.States[len(c.States)-1]
}

// AddState keeps s as the newest state unless it is older than the latest (a message delivered late), and
// forgets what it holds of hosts s does not list. It reports whether s was taken.
func (c *Collector) AddState(s *State, seen time.Time) bool {
	if l := c.Latest(); l != nil && l.Start == s.Start && s.Seq <= l.Seq || l != nil && s.Start < l.Start {
		return false
	}
	if l := c.Latest(); l != nil && l.Start != s.Start {
		c.States = c.States[:0] // a restarted collector: its old windows are no longer comparable
	}
	c.States = append(c.States, s)
	if len(c.States) > keepStates {
		c.States = slices.Delete(c.States, 0, len(c.States)-keepStates)
	}
	if seen.After(c.LastSeen) {
		c.LastSeen = seen
	}
	c.heard(seen)
	listed := make(map[string]bool, len(s.Hosts)+len(s.Devices))
	for _, list := range [...][]Host{s.Hosts, s.Devices} {
		for i := range list {
			listed[list[i].ID] = true
		}
	}
	forget(c.Series, listed)
	forget(c.Keys, listed)
	forget(c.Deltas, listed)
	forget(c.Infos, listed)
	return true
}

func forget[V any](m map[string]V, listed map[string]bool) {
	for id := range m {
		if !listed[id] {
			delete(m, id)
		}
	}
}

func (c *Collector) heard(t time.Time) {
	if t.After(c.Heard) {
		c.Heard = t
	}
}

// older reports whether message (start, seq) comes before (oldStart, oldSeq) of the same collector.
func older(start int64, seq uint64, oldStart int64, oldSeq uint64) bool {
	return start < oldStart || start == oldStart && seq < oldSeq
}

// room reports whether m may hold host id: it does, or holds fewer than MaxHosts.
func room[V any](m map[string]V, id string) bool {
	_, ok := m[id]
	return ok || len(m) < MaxHosts
}

// AddSeries keeps a host's keyframe unless an older one of the same process arrives after a newer, and with
// it the series (its delta applied when the delta that waited for it has come).
func (c *Collector) AddSeries(s *Series, seen time.Time) bool {
	c.heard(seen)
	if old := c.Keys[s.Host]; old != nil && older(s.Start, s.Seq, old.Start, old.Seq) || !room(c.Keys, s.Host) {
		return false
	}
	c.Keys[s.Host] = s
	c.Series[s.Host] = s
	if d := c.Deltas[s.Host]; d != nil {
		switch {
		case applies(d, s):
			c.Series[s.Host] = applyDelta(s, d)
		case older(d.Start, d.Base, s.Start, s.Seq):
			delete(c.Deltas, s.Host)
		}
	}
	return true
}

// AddDelta keeps a host's delta unless it is older than the one held, and applies it when its keyframe is
// there.
func (c *Collector) AddDelta(d *Delta, seen time.Time) bool {
	c.heard(seen)
	if old := c.Deltas[d.Host]; old != nil && older(d.Start, d.Seq, old.Start, old.Seq) || !room(c.Deltas, d.Host) {
		return false
	}
	key := c.Keys[d.Host]
	if key != nil && older(d.Start, d.Base, key.Start, key.Seq) {
		return false // a delta of a keyframe already replaced
	}
	c.Deltas[d.Host] = d
	if key != nil && applies(d, key) {
		c.Series[d.Host] = applyDelta(key, d)
	}
	return true
}

// AddInfo keeps what describes a host unless an older message arrives after a newer.
func (c *Collector) AddInfo(in *Info, seen time.Time) bool {
	c.heard(seen)
	if old := c.Infos[in.Host]; old != nil && older(in.Start, in.Seq, old.Start, old.Seq) || !room(c.Infos, in.Host) {
		return false
	}
	c.Infos[in.Host] = in
	return true
}

// MergeOptions tunes Merge.
type MergeOptions struct {
	StaleAfter time.Duration // default DefaultStaleAfter
	GroupBy    string        // group hosts by this ENC field instead of the collectors' (see regroup)
}

// Merge makes one snapshot of the collectors at now: every host of every collector (once: a host listed by two
// collectors, an agent that moved, is the fresher one's), those of collectors not heard from within
// StaleAfter marked stale; groups computed from the hosts as a single collector computes them; agents and
// health counters added up; the top-N tables of the fresh collectors merged at their common window with
// correct bounds. Collectors without a state are skipped; with none, the snapshot is empty.
func Merge(cs []*Collector, now time.Time, version uint64, opt MergeOptions) *model.Snapshot {
	if opt.StaleAfter <= 0 {
		opt.StaleAfter = DefaultStaleAfter
	}
	var live []*Collector
	fresh := map[*Collector]bool{}
	for _, c := range cs {
		if c.Latest() != nil {
			live = append(live, c)
			fresh[c] = now.Sub(c.LastSeen) <= opt.StaleAfter
		}
	}
	slices.SortFunc(live, func(a, b *Collector) int { return cmp.Compare(a.ID, b.ID) })
	s := &model.Snapshot{Version: version}
	if len(live) == 0 {
		s.Health.Cluster = model.FeedHealth{Configured: true, Summary: "no collector yet"}
		return s
	}
	newest := live[0].Latest()
	for _, c := range live {
		if l := c.Latest(); l.Time > newest.Time {
			newest = l
		}
	}
	s.Time, s.Window, s.Step, s.GroupBy = fromNanos(newest.Time), time.Duration(newest.Window),
		time.Duration(newest.Step), newest.GroupBy
	points := newest.Points
	s.Hosts = mergeHosts(live, fresh, s.Time, s.Step, points, func(st *State) []Host { return st.Hosts })
	s.Devices = mergeHosts(live, fresh, s.Time, s.Step, points, func(st *State) []Host { return st.Devices })
	if opt.GroupBy != "" && opt.GroupBy != s.GroupBy {
		regroup(s.Hosts, opt.GroupBy)
		s.GroupBy = opt.GroupBy
	}
	s.Horizon = mergedHorizon(live, fresh, s.Time)
	s.Groups = model.GroupRowsOf(s.Hosts, points, model.CompletePoints(s.Time, s.Horizon, s.Step, points))
	s.Agents = mergeAgents(live)
	fields := map[string]bool{}
	for _, c := range live {
		for _, f := range c.Latest().Fields {
			fields[f] = true
		}
	}
	for f := range fields {
		s.Fields = append(s.Fields, f)
	}
	slices.Sort(s.Fields)
	mergeTables(s, live, fresh)
	s.Health = mergeHealth(s, live, fresh, now)
	return s
}

// mergeHosts lists every collector's hosts (or devices: list picks them from a state) once, with their series
// aligned to the step of t.
func mergeHosts(live []*Collector, fresh map[*Collector]bool, t time.Time, step time.Duration, points int,
	list func(*State) []Host) []*model.HostRow {
	type pick struct {
		c     *Collector
		h     *Host
		fresh bool
	}
	byID := map[string]pick{}
	for _, c := range live {
		hosts := list(c.Latest())
		for i := range hosts {
			h := &hosts[i]
			p, seen := byID[h.ID]
			if !seen || fresh[c] && !p.fresh || fresh[c] == p.fresh && h.LastSeen > p.h.LastSeen {
				byID[h.ID] = pick{c, h, fresh[c]}
			}
		}
	}
	lastBin := floorDiv(t.UnixNano(), int64(step))
	rows := make([]*model.HostRow, 0, len(byID))
	for _, p := range byID {
		r := hostIn(p.h, p.c.Infos[p.h.ID])
		if !p.fresh && r.State == model.HostOK {
			r.State = model.HostStale
		}
		if ser := p.c.Series[r.ID]; ser != nil && ser.Step == int64(step) {
			r.Series = aligned(ser, lastBin, points)
		}
		rows = append(rows, r)
	}
	model.SortHostRows(rows)
	return rows
}

// aligned returns the series shifted so that their last point is in step lastBin, points long: points the
// message does not have are NaN.
func aligned(ser *Series, lastBin int64, points int) []model.NamedSeries {
	out := make([]model.NamedSeries, len(ser.Series))
	shift := lastBin - ser.LastBin
	for i, n := range ser.Series {
		pts := make([]float64, points)
		for j := range pts {
			// point j stands for step lastBin-(points-1-j); the message's point k for ser.LastBin-(len-1-k)
			k := int64(j) + shift + int64(len(n.Points)-points)
			if k >= 0 && k < int64(len(n.Points)) {
				pts[j] = n.Points[k]
			} else {
				pts[j] = math.NaN()
			}
		}
		out[i] = model.NamedSeries{Name: n.Name, Unit: n.Unit, Points: pts}
	}
	return out
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// mergedHorizon is the earliest horizon of the fresh collectors that have hosts: where every reporting host
// of the fleet has reported.
func mergedHorizon(live []*Collector, fresh map[*Collector]bool, t time.Time) time.Time {
	var h time.Time
	for _, c := range live {
		st := c.Latest()
		if !fresh[c] || len(st.Hosts) == 0 || st.Horizon == 0 {
			continue
		}
		if ht := fromNanos(st.Horizon); h.IsZero() || ht.Before(h) {
			h = ht
		}
	}
	if h.IsZero() {
		return t
	}
	return h
}

// mergeAgents lists every agent once (the row seen last), sorted by address and sub-agent.
func mergeAgents(live []*Collector) []*model.AgentRow {
	type key struct {
		addr string
		sub  uint32
	}
	byKey := map[key]*Agent{}
	for _, c := range live {
		for i := range c.Latest().Agents {
			a := &c.Latest().Agents[i]
			k := key{string(a.Addr), a.SubAgent}
			if old := byKey[k]; old == nil || a.LastSeen > old.LastSeen {
				byKey[k] = a
			}
		}
	}
	rows := make([]*model.AgentRow, 0, len(byKey))
	for _, a := range byKey {
		rows = append(rows, agentIn(a))
	}
	slices.SortFunc(rows, func(a, b *model.AgentRow) int {
		if c := a.Addr.Compare(b.Addr); c != 0 {
			return c
		}
		return cmp.Compare(a.SubAgent, b.SubAgent)
	})
	return rows
}

// mergeHealth adds up the collectors' counters (rates of the fresh ones only), counts the merged rows and
// says which collectors are stale.
func mergeHealth(s *model.Snapshot, live []*Collector, fresh map[*Collector]bool, now time.Time) model.Health {
	var h model.Health
	var enc, graphite, carbon []namedFeed
	var stale []string
	for _, c := range live {
		w := &c.Latest().Health
		h.Datagrams += w.Datagrams
		h.QueueDrops += w.QueueDrops
		h.KernelDrops += w.KernelDrops
		h.Lost += w.Lost
		h.Duplicates += w.Duplicates
		h.Restarts += w.Restarts
		h.SampleDrops += w.SampleDrops
		h.LostSamples += w.LostSamples
		h.DecodeErrors += w.DecodeErrors
		h.UnknownRecords += w.UnknownRecords
		h.Disallowed += w.Disallowed
		if fresh[c] {
			h.DatagramsPerSec += w.DatagramsPerSec
		} else {
			stale = append(stale, fmt.Sprintf("%s (%s)", c.ID, now.Sub(c.LastSeen).Round(time.Second)))
		}
		enc = append(enc, namedFeed{c.ID, w.ENC})
		graphite = append(graphite, namedFeed{c.ID, w.Graphite})
		carbon = append(carbon, namedFeed{c.ID, w.Carbon})
	}
	h.Agents, h.Hosts, h.Groups, h.Devices = len(s.Agents), len(s.Hosts), len(s.Groups), len(s.Devices)
	for i := range s.Hosts {
		if s.Hosts[i].State != model.HostOK {
			h.StaleHosts++
		}
	}
	h.ENC, h.Graphite, h.Carbon = mergeFeeds(enc), mergeFeeds(graphite), mergeFeeds(carbon)
	h.Cluster = model.FeedHealth{Configured: true, OK: len(stale) == 0,
		Summary: fmt.Sprintf("%d collectors, %d stale", len(live), len(stale))}
	if len(stale) > 0 {
		h.Cluster.LastError = "stale: " + strings.Join(stale, ", ")
		h.Cluster.Summary += ": " + strings.Join(stale, ", ")
	}
	return h
}

type namedFeed struct {
	collector string
	f         Feed
}

// mergeFeeds shows a feed as down when it is down at any collector that has it configured, naming it.
func mergeFeeds(fs []namedFeed) model.FeedHealth {
	var out model.FeedHealth
	n := 0
	for _, nf := range fs {
		if !nf.f.Configured {
			continue
		}
		n++
		if !out.Configured || out.OK && !nf.f.OK {
			out = feedIn(nf.f)
			out.Summary = nf.collector + ": " + nf.f.Summary
			if nf.f.LastError != "" {
				out.LastError = nf.collector + ": " + nf.f.LastError
			}
		}
	}
	if n > 1 && out.OK {
		out.Summary = fmt.Sprintf("ok at %d collectors", n)
	}
	return out
}
