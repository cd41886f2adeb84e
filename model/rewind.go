package model

import (
	"math"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultRewind is the default of Options.Rewind: how far back Fleet.Rewind reaches.
const DefaultRewind = 15 * time.Minute

// RewindAgentRows and RewindGroupRows bound the Agents and Groups rows the rewind keeps: it keeps the table of
// one publish every stride seconds, the stride chosen so that the rows of the tables kept stay under the bound
// (about 170 B an agent row, 290 B a group row: 17 MB and 29 MB). Up to 111 agents or groups, every second's
// table is kept; at 20,000 agents, one every 180 s.
const (
	RewindAgentRows = 100_000
	RewindGroupRows = 100_000
)

// rewindFrameBytes bounds a frame but for its groups and agents: the Snapshot and its health, and per TopN row
// a talker row of each of the three tables, a URL row with its longest URL and a key row with its longest key.
const (
	rewindFrameBytes = 1_024
	rewindRowBytes   = 3*152 + 152 + 8 + maxURLHost + maxURLPath + 216 + maxMemKey
)

// RewindBytes is the most memory the rewind takes: Options.Rewind frames of their tables at their longest
// keys, and the Agents and Groups rows it keeps at most. 15 minutes at TopN 50 are 113 MB; 20,000 hosts of the
// simulated fleet's kind took 59 MB (TestRewindMemory20kHosts, BenchmarkRewind20kHosts).
func (o Options) RewindBytes() int64 {
	o.fill()
	if o.Rewind <= 0 {
		return 0
	}
	frames := int64(o.Rewind / time.Second)
	return frames*(rewindFrameBytes+int64(o.TopN)*rewindRowBytes) + RewindAgentRows*170 + RewindGroupRows*290
}

// rewind keeps a frame of every second's Snapshot for Options.Rewind: what the Snapshot's own tables and health
// were, not its hosts, which are most of a Snapshot at scale and which the series already hold (Fleet.Rewind
// rebuilds them). Frames share the table rows with the published Snapshots: a frame is a Snapshot header and
// its five top-N tables, about 45 KB at TopN 50 with the simulated fleet's names. Agents and groups, whose
// tables grow with the fleet, are kept every stride seconds (strided).
type rewind struct {
	mu     sync.Mutex
	frames []*Snapshot // a ring by unix second; a slot holds the last publish of its second, or an older one
	newest int64       // the unix second of the newest frame
	agents strided[*AgentRow]
	groups strided[GroupRow] // without their history, which Rewind takes from the latest Snapshot
}

// strided keeps a table every stride seconds, the stride chosen so that the rows kept stay under budget.
type strided[T any] struct {
	budget int64
	kept   []keptRows[T] // oldest first
}

// keptRows is one table kept, at second sec.
type keptRows[T any] struct {
	sec  int64
	time time.Time
	rows []T
}

// keep adds the table of second sec (rows() makes it) when a stride has passed since the last one kept, and
// drops those no frame shows any more: frames seconds back from newest.
func (k *strided[T]) keep(sec, newest, frames int64, t time.Time, n int, rows func() []T) {
	stride := max(1, (int64(n)*frames+k.budget-1)/k.budget)
	if last := len(k.kept); last == 0 || sec-k.kept[last-1].sec >= stride {
		k.kept = append(k.kept, keptRows[T]{sec: sec, time: t, rows: rows()})
	}
	// The oldest table stays while it is the one the oldest frame shows.
	oldest, drop := newest-frames+1, 0
	for drop+1 < len(k.kept) && k.kept[drop+1].sec <= oldest {
		drop++
	}
	if drop > 0 {
		clear(k.kept[:drop])
		k.kept = k.kept[drop:]
	}
}

// at returns the table kept last at or before second sec.
func (k *strided[T]) at(sec int64) keptRows[T] {
	for i := len(k.kept) - 1; i >= 0; i-- {
		if k.kept[i].sec <= sec {
			return k.kept[i]
		}
	}
	return keptRows[T]{}
}

func newRewind(d time.Duration) *rewind {
	return &rewind{frames: make([]*Snapshot, int(d/time.Second)), agents: strided[*AgentRow]{budget: RewindAgentRows},
		groups: strided[GroupRow]{budget: RewindGroupRows}}
}

// capture keeps s's frame, and its Agents and Groups tables when their stride has passed. It runs at each
// publish, after s is published.
func (r *rewind) capture(s *Snapshot) {
	n := int64(len(r.frames))
	if n == 0 {
		return
	}
	fr := *s
	fr.Hosts, fr.Agents, fr.Groups, fr.Bounds = nil, nil, nil, TableBounds{}
	sec := floorDiv(s.Time.UnixNano(), int64(time.Second))
	r.mu.Lock()
	defer r.mu.Unlock()
	if sec < r.newest-1 { // the clock went back (a replay started again): what was kept is another timeline
		clear(r.frames)
		r.agents.kept, r.groups.kept, r.newest = nil, nil, sec
	}
	r.newest = max(r.newest, sec)
	r.frames[floorMod(sec, n)] = &fr
	r.agents.keep(sec, r.newest, n, s.Time, len(s.Agents), func() []*AgentRow { return s.Agents })
	r.groups.keep(sec, r.newest, n, s.Time, len(s.Groups), func() []GroupRow {
		rows := slices.Clone(s.Groups)
		for i := range rows {
			rows[i].History = GroupHistory{}
		}
		return rows
	})
}

// frame returns the newest frame at or before second sec, with the Agents and Groups tables kept last at or
// before it.
func (r *rewind) frame(sec int64) (*Snapshot, keptRows[*AgentRow], keptRows[GroupRow]) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := int64(len(r.frames))
	for s := min(sec, r.newest); s > r.newest-n; s-- {
		fr := r.frames[floorMod(s, n)]
		if fr != nil && floorDiv(fr.Time.UnixNano(), int64(time.Second)) == s {
			return fr, r.agents.at(s), r.groups.at(s)
		}
	}
	return nil, keptRows[*AgentRow]{}, keptRows[GroupRow]{}
}

// span returns the times of the oldest and newest frames kept.
func (r *rewind) span() (oldest, newest time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := int64(len(r.frames))
	for s := r.newest - n + 1; s <= r.newest; s++ {
		if fr := r.frames[floorMod(s, n)]; fr != nil && floorDiv(fr.Time.UnixNano(), int64(time.Second)) == s {
			if oldest.IsZero() {
				oldest = fr.Time
			}
			newest = fr.Time
		}
	}
	return oldest, newest
}

// RewindSpan returns the times of the oldest and the newest Snapshot Rewind can show; zero times when it keeps
// none (Options.Rewind < 0, or nothing published yet).
func (f *Fleet) RewindSpan() (oldest, newest time.Time) { return f.rewind.span() }

// Rewind returns the fleet as the last Snapshot published in at's second showed it (or in the latest second
// before it that had one), with Rewound set; nil when the rewind does not reach back to at. Its top-N tables
// and health are that Snapshot's own. Its hosts are the latest Snapshot's, with the figures of their series'
// points at at (a host's last point when at is after it: the figure its row held) and their series cut at at
// by Aligned; hosts forgotten since are not listed, hosts new since show no figures. Its groups and agents are
// the tables kept at GroupsAt and AgentsAt: that second up to 111 of them, else at most a stride before
// (RewindGroupRows, RewindAgentRows); the groups' history is the latest one's, moved back to end at at.
func (f *Fleet) Rewind(at time.Time) *Snapshot {
	fr, ag, gr := f.rewind.frame(floorDiv(at.UnixNano(), int64(time.Second)))
	if fr == nil {
		return nil
	}
	live := f.Snapshot()
	s := *fr
	s.Rewound = true
	s.Agents, s.AgentsAt = ag.rows, ag.time
	back := int(floorDiv(live.Time.UnixNano(), int64(s.Step)) - floorDiv(s.Time.UnixNano(), int64(s.Step)))
	s.Groups, s.GroupsAt = groupsBack(gr.rows, live.Groups, back), gr.time
	s.Hosts = hostsAt(live, s.Time)
	return &s
}

// groupsBack gives the frame's group rows the history of the live rows of the same name, moved back steps.
func groupsBack(frame, live []GroupRow, steps int) []GroupRow {
	byName := make(map[string]*GroupHistory, len(live))
	for i := range live {
		byName[live[i].Name] = &live[i].History
	}
	out := slices.Clone(frame)
	for i := range out {
		h := byName[out[i].Name]
		if h == nil {
			continue
		}
		out[i].History = GroupHistory{CPU: shiftBack(h.CPU, steps), NetIn: shiftBack(h.NetIn, steps),
			NetOut: shiftBack(h.NetOut, steps), HTTPRate: shiftBack(h.HTTPRate, steps),
			HTTP5xxPct: shiftBack(h.HTTP5xxPct, steps), MemcacheOps: shiftBack(h.MemcacheOps, steps),
			MemcacheHit: shiftBack(h.MemcacheHit, steps)}
	}
	return out
}

// shiftBack returns pts moved steps later (the newest steps dropped), NaN where nothing is known.
func shiftBack(pts []float64, steps int) []float64 {
	if steps <= 0 || pts == nil {
		return pts
	}
	out := make([]float64, len(pts))
	for i := range out {
		out[i] = math.NaN()
		if j := i - steps; j >= 0 {
			out[i] = pts[j]
		}
	}
	return out
}

// hostsAt returns the live Snapshot's host rows with their figures at t, taken from their series; the series
// stay shared.
func hostsAt(live *Snapshot, t time.Time) []*HostRow {
	rows := make([]HostRow, len(live.Hosts))
	out := make([]*HostRow, len(live.Hosts))
	step := int64(live.Step)
	if step <= 0 {
		step = int64(DefaultStep)
	}
	bin, liveBin := floorDiv(t.UnixNano(), step), floorDiv(live.Time.UnixNano(), step)
	for i, h := range live.Hosts {
		r := &rows[i]
		*r = *h
		at := func(m metric) float64 {
			name := metricInfos[m].name
			k, ok := slices.BinarySearchFunc(r.Series, name, func(s NamedSeries, n string) int {
				return strings.Compare(s.Name, n)
			})
			if !ok {
				return math.NaN()
			}
			return pointAt(&r.Series[k], bin, liveBin, step)
		}
		r.CPU, r.Load1, r.MemUsedPct, r.MemTotal = at(mCPU), at(mLoad1), at(mMemUsedPct), at(mMemTotal)
		r.DiskRead, r.DiskWrite, r.DiskUsedPct = at(mDiskRead), at(mDiskWrite), at(mDiskUsedPct)
		r.NetIn, r.NetOut = at(mNetIn), at(mNetOut)
		r.HTTPRate = at(mHTTPRequests)
		r.HTTP5xxPct = ratioPct(at(mHTTP5xx), r.HTTPRate)
		r.MemcacheOps, r.MemcacheGets, r.MemcacheHit = at(mMemcacheOps), at(mMemcacheGets), at(mMemcacheHitPct)
		r.JVMHeapUsed, r.JVMGCRate = at(mJVMHeapUsed), at(mJVMGC)
		if r.LastSeen.After(t) { // it reported after t: it was not stale then
			r.State = HostOK
		}
		out[i] = r
	}
	return out
}

// pointAt returns the point of a series in bin, the last point when bin is after it (the figure held until the
// next one), NaN before its first. A series without Last ends at bin last.
func pointAt(ns *NamedSeries, bin, last, step int64) float64 {
	n := len(ns.Points)
	if n == 0 {
		return math.NaN()
	}
	if !ns.Last.IsZero() {
		last = floorDiv(ns.Last.UnixNano(), step)
	}
	k := n - 1 - int(last-bin)
	if k < 0 {
		return math.NaN()
	}
	return ns.Points[min(k, n-1)]
}

// floorMod is a mod b in [0, b).
func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// HostFlowsAt is HostFlows over the window a rewound Snapshot's tables covered, [start, end), for the host as
// the latest Snapshot knows it. When the flow store no longer reaches back that far the answer is Partial, its
// Start moved up to where the store begins; Start equal to End when it holds nothing of the window.
func (f *Fleet) HostFlowsAt(id string, n int, start, end time.Time) Flows {
	return f.flowsOf(n, func(r *HostRow) bool { return r.ID == id }, &flowIndex{start: start, end: end})
}

// GroupFlowsAt is GroupFlows over [start, end); see HostFlowsAt.
func (f *Fleet) GroupFlowsAt(group string, n int, start, end time.Time) Flows {
	return f.flowsOf(n, func(r *HostRow) bool { return r.Group == group }, &flowIndex{start: start, end: end})
}
