package tree

import (
	"math"
	"net/netip"
	"strconv"
	"time"

	"github.com/fleettop/fleettop/model"
)

// Top-level elements of the tree.
const (
	RootHosts    = "fleet"    // fleet.<group>.<host>.<series>
	RootGroups   = "groups"   // groups.<group>.<metric>
	RootTalkers  = "talkers"  // talkers.{pair,src,dst}....
	RootURLs     = "urls"     // urls.<host>.<path>.<metric>
	RootKeys     = "keys"     // keys.<key>.<metric>
	RootAgents   = "agents"   // agents.<address>.<sub-agent>.<counter>
	RootDevices  = "devices"  // devices.<device>.<series>, devices.<device>.if.<ifIndex>.<figure>
	RootFleettop = "fleettop" // fleettop.{ingest,fleet,feeds}.<figure>
)

// identity says what a series' history is tied to in a Tree.
type identity uint8

const (
	byHost  identity = iota // a host's series: the history follows the host ID wherever its path goes
	byGroup                 // a group aggregate: kept per group-by field, listed under the current one
	byPath                  // table rows and fleettop's own figures: the path is the identity
)

// seriesRef is one series of a snapshot as walk hands it over.
type seriesRef struct {
	id   identity
	path []byte // scratch: valid only during the callback
	leaf int    // where the part after the host or group prefix starts in path

	host   *model.HostRow  // byHost
	series int             // index in host.Series
	group  *model.GroupRow // byGroup
	metric int             // index in groupMetrics

	points []float64 // history, oldest first; nil for one value
	last   int64     // the bin of the last point (host series may end before the snapshot's bin)
	value  float64   // the value at the snapshot's time when points is nil
}

// groupMetric is one series of every group: History carries its recent points when hist is set.
type groupMetric struct {
	leaf string
	hist func(*model.GroupHistory) []float64
	now  func(*model.GroupRow) float64
}

var groupMetrics = [...]groupMetric{
	{"cpu.utilisation", func(h *model.GroupHistory) []float64 { return h.CPU }, func(g *model.GroupRow) float64 { return g.CPU }},
	{"net.bytes_in", func(h *model.GroupHistory) []float64 { return h.NetIn }, func(g *model.GroupRow) float64 { return g.NetIn }},
	{"net.bytes_out", func(h *model.GroupHistory) []float64 { return h.NetOut }, func(g *model.GroupRow) float64 { return g.NetOut }},
	{"http.requests", func(h *model.GroupHistory) []float64 { return h.HTTPRate }, func(g *model.GroupRow) float64 { return g.HTTPRate }},
	{"http.5xx_pct", func(h *model.GroupHistory) []float64 { return h.HTTP5xxPct }, func(g *model.GroupRow) float64 { return g.HTTP5xxPct }},
	{"memcache.ops", func(h *model.GroupHistory) []float64 { return h.MemcacheOps }, func(g *model.GroupRow) float64 { return g.MemcacheOps }},
	{"memcache.hit_ratio", func(h *model.GroupHistory) []float64 { return h.MemcacheHit }, func(g *model.GroupRow) float64 { return g.MemcacheHit }},
	{"disk.bytes_read", nil, func(g *model.GroupRow) float64 { return g.DiskRead }},
	{"disk.bytes_written", nil, func(g *model.GroupRow) float64 { return g.DiskWrite }},
	{"mem.used_pct", nil, func(g *model.GroupRow) float64 { return g.MemUsedPct }},
	{"jvm.heap_used", nil, func(g *model.GroupRow) float64 { return g.JVMHeapUsed }},
	{"jvm.gc_time_pct", func(h *model.GroupHistory) []float64 { return h.JVMGCTimePct }, func(g *model.GroupRow) float64 { return g.JVM.GCTimePct }},
	{"jvm.gc_time_pct_max", nil, func(g *model.GroupRow) float64 { return g.JVM.GCTimePctMax }},
	{"jvm.heap_pct", func(h *model.GroupHistory) []float64 { return h.JVMHeapPct }, func(g *model.GroupRow) float64 { return g.JVM.HeapPct }},
	{"jvm.heap_pct_max", nil, func(g *model.GroupRow) float64 { return g.JVM.HeapPctMax }},
	{"jvm.heap_committed", nil, func(g *model.GroupRow) float64 { return g.JVM.HeapCommitted }},
	{"jvm.heap_max", nil, func(g *model.GroupRow) float64 { return g.JVM.HeapMax }},
	{"jvm.gc_rate", nil, func(g *model.GroupRow) float64 { return g.JVM.GCRate }},
	{"jvm.threads", nil, func(g *model.GroupRow) float64 { return g.JVM.Threads }},
	{"jvm.fds_open", nil, func(g *model.GroupRow) float64 { return g.JVM.FDsOpen }},
	{"jvm.count", nil, func(g *model.GroupRow) float64 { return float64(g.JVM.JVMs) }},
	{"hosts", nil, func(g *model.GroupRow) float64 { return float64(g.Hosts) }},
	{"stale_hosts", nil, func(g *model.GroupRow) float64 { return float64(g.StaleHosts) }},
}

var talkerTables = [...]struct {
	name     string
	src, dst bool
	rows     func(*model.Snapshot) []model.TalkerRow
}{
	{"pair", true, true, func(s *model.Snapshot) []model.TalkerRow { return s.TalkersByPair }},
	{"src", true, false, func(s *model.Snapshot) []model.TalkerRow { return s.TalkersBySrc }},
	{"dst", false, true, func(s *model.Snapshot) []model.TalkerRow { return s.TalkersByDst }},
}

// urlStatusLeaves name URLRow.Status's classes, in its order.
var urlStatusLeaves = [6]string{"status.other", "status.1xx", "status.2xx", "status.3xx", "status.4xx", "status.5xx"}

var agentCounters = [...]struct {
	leaf  string
	value func(*model.AgentRow) uint64
}{
	{"datagrams", func(a *model.AgentRow) uint64 { return a.Datagrams }},
	{"samples", func(a *model.AgentRow) uint64 { return a.Samples }},
	{"lost", func(a *model.AgentRow) uint64 { return a.Lost }},
	{"duplicates", func(a *model.AgentRow) uint64 { return a.Duplicates }},
	{"lost_samples", func(a *model.AgentRow) uint64 { return a.LostSamples }},
	{"restarts", func(a *model.AgentRow) uint64 { return a.Restarts }},
	{"decode_errors", func(a *model.AgentRow) uint64 { return a.DecodeErrors }},
	{"unknown_records", func(a *model.AgentRow) uint64 { return a.UnknownRecords }},
	{"sample_drops", func(a *model.AgentRow) uint64 { return a.SampleDrops }},
}

var healthFigures = [...]struct {
	leaf  string
	value func(*model.Health) float64
}{
	{"ingest.datagrams", func(h *model.Health) float64 { return float64(h.Datagrams) }},
	{"ingest.datagrams_per_sec", func(h *model.Health) float64 { return h.DatagramsPerSec }},
	{"ingest.queue_drops", func(h *model.Health) float64 { return float64(h.QueueDrops) }},
	{"ingest.kernel_drops", func(h *model.Health) float64 { return float64(h.KernelDrops) }},
	{"ingest.lost", func(h *model.Health) float64 { return float64(h.Lost) }},
	{"ingest.sample_drops", func(h *model.Health) float64 { return float64(h.SampleDrops) }},
	{"ingest.duplicates", func(h *model.Health) float64 { return float64(h.Duplicates) }},
	{"ingest.lost_samples", func(h *model.Health) float64 { return float64(h.LostSamples) }},
	{"ingest.restarts", func(h *model.Health) float64 { return float64(h.Restarts) }},
	{"ingest.decode_errors", func(h *model.Health) float64 { return float64(h.DecodeErrors) }},
	{"ingest.unknown_records", func(h *model.Health) float64 { return float64(h.UnknownRecords) }},
	{"ingest.disallowed", func(h *model.Health) float64 { return float64(h.Disallowed) }},
	{"fleet.agents", func(h *model.Health) float64 { return float64(h.Agents) }},
	{"fleet.hosts", func(h *model.Health) float64 { return float64(h.Hosts) }},
	{"fleet.devices", func(h *model.Health) float64 { return float64(h.Devices) }},
	{"fleet.stale_hosts", func(h *model.Health) float64 { return float64(h.StaleHosts) }},
	{"fleet.groups", func(h *model.Health) float64 { return float64(h.Groups) }},
	{"feeds.enc.ok", func(h *model.Health) float64 { return feedOK(h.ENC) }},
	{"feeds.graphite.ok", func(h *model.Health) float64 { return feedOK(h.Graphite) }},
	{"feeds.carbon.ok", func(h *model.Health) float64 { return feedOK(h.Carbon) }},
}

// feedOK is 1 for a healthy feed, 0 for a failing one and null for one that is not configured.
func feedOK(f model.FeedHealth) float64 {
	switch {
	case !f.Configured:
		return math.NaN()
	case f.OK:
		return 1
	}
	return 0
}

// walker lists the series of snapshots with their paths, reusing one scratch buffer.
type walker struct {
	buf []byte
	ref seriesRef
	// ranks > 0 names the rows of the top-N tables (talkers, URLs, keys) by rank, "rank.01" to "rank.NN",
	// and leaves out the rows past the ranks-th: a fixed set of series for carbon, however the tables churn.
	ranks int
}

// MaxRanks is the most rank slots a table can have (two digits).
const MaxRanks = 99

// appendRank writes the rank element pair "rank.NN" of the 0-based row i.
func appendRank(b []byte, i int) []byte {
	b = append(b, "rank."...)
	if i < 9 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(i+1), 10)
}

// walk calls fn for every series of s, in a fixed order: hosts, groups, talkers, URLs, keys, agents, devices,
// fleettop.
func (w *walker) walk(s *model.Snapshot, fn func(*seriesRef)) {
	r := &w.ref
	step, latest := int64(s.Step/time.Second), int64(0)
	if step >= 1 {
		latest = floorDiv(s.Time.Unix(), step)
	}
	for i := range s.Hosts {
		w.hostSeries(appendHostPrefix(w.buf[:0], s.Hosts[i]), s.Hosts[i], latest, step, fn)
	}
	for i := range s.Groups {
		g := &s.Groups[i]
		b := append(w.buf[:0], RootGroups...)
		b = append(b, '.')
		b = AppendEscape(b, g.Name)
		b = append(b, '.')
		for k := range groupMetrics {
			m := &groupMetrics[k]
			*r = seriesRef{id: byGroup, group: g, metric: k, leaf: len(b), value: m.now(g), last: latest}
			if m.hist != nil {
				if pts := m.hist(&g.History); len(pts) > 0 {
					r.points = pts
				}
			}
			r.path = append(b, m.leaf...)
			fn(r)
			b = r.path[:r.leaf]
		}
		w.buf = b
	}
	for _, t := range talkerTables {
		rank := 0
		for _, row := range t.rows(s) {
			if t.src && !row.Src.IsValid() || t.dst && !row.Dst.IsValid() {
				continue
			}
			if w.ranks > 0 && rank == w.ranks {
				break
			}
			b := append(w.buf[:0], RootTalkers...)
			b = append(b, '.')
			b = append(b, t.name...)
			if w.ranks > 0 {
				b = appendRank(append(b, '.'), rank)
			} else {
				if t.src {
					b = appendAddr(append(b, '.'), row.Src)
				}
				if t.dst {
					b = appendAddr(append(b, '.'), row.Dst)
				}
			}
			rank++
			b = w.leaf(fn, b, "bytes", row.Bytes)
			w.buf = w.leaf(fn, b, "packets", row.Packets)
		}
	}
	for i, u := range s.URLs {
		if w.ranks > 0 && i == w.ranks {
			break
		}
		b := append(w.buf[:0], RootURLs...)
		if w.ranks > 0 {
			b = appendRank(append(b, '.'), i)
		} else {
			b = AppendEscape(append(b, '.'), u.Host)
			b = AppendEscape(append(b, '.'), u.Path)
		}
		b = w.leaf(fn, b, "rate", u.Rate)
		b = w.leaf(fn, b, "mean_ms", u.MeanMS)
		b = w.leaf(fn, b, "p95_ms", u.P95MS)
		for c, leaf := range urlStatusLeaves {
			b = w.leaf(fn, b, leaf, u.Rate*u.Status[c])
		}
		w.buf = b
	}
	for i, k := range s.Keys {
		if w.ranks > 0 && i == w.ranks {
			break
		}
		b := append(w.buf[:0], RootKeys...)
		if w.ranks > 0 {
			b = appendRank(append(b, '.'), i)
		} else {
			b = AppendEscape(append(b, '.'), k.Key)
		}
		b = w.leaf(fn, b, "rate", k.Rate)
		w.buf = w.leaf(fn, b, "hit_ratio", 100*k.HitRatio)
	}
	for i := range s.Agents {
		a := s.Agents[i]
		if !a.Addr.IsValid() {
			continue
		}
		b := append(w.buf[:0], RootAgents...)
		b = appendAddr(append(b, '.'), a.Addr)
		b = strconv.AppendUint(append(b, '.'), uint64(a.SubAgent), 10)
		for _, c := range agentCounters {
			b = w.leaf(fn, b, c.leaf, float64(c.value(a)))
		}
		w.buf = b
	}
	w.walkDevices(s, latest, step, fn)
	b := append(w.buf[:0], RootFleettop...)
	for _, f := range healthFigures {
		b = w.leaf(fn, b, f.leaf, f.value(&s.Health))
	}
	w.buf = b
}

// hostSeries hands over the series of host h (or device) under prefix b.
func (w *walker) hostSeries(b []byte, h *model.HostRow, latest, step int64, fn func(*seriesRef)) {
	r := &w.ref
	for j := range h.Series {
		ns := &h.Series[j]
		if len(ns.Points) == 0 {
			continue
		}
		last := latest
		if step >= 1 && !ns.Last.IsZero() {
			last = floorDiv(ns.Last.Unix(), step)
		}
		*r = seriesRef{id: byHost, host: h, series: j, leaf: len(b), points: ns.Points, last: last}
		r.path = appendSeriesName(b, ns.Name)
		fn(r)
		b = r.path[:r.leaf]
	}
	w.buf = b
}

// leaf hands over the one-value series prefix.leaf and returns prefix (in the possibly grown buffer).
func (w *walker) leaf(fn func(*seriesRef), prefix []byte, leaf string, v float64) []byte {
	r := &w.ref
	*r = seriesRef{id: byPath, leaf: len(prefix), value: v}
	r.path = append(append(prefix, '.'), leaf...)
	fn(r)
	return r.path[:r.leaf]
}

// appendHostPrefix writes "fleet.<group>.<host>.". A host whose name is empty or claimed by another agent
// is written as name@ID, so every host has a path of its own.
func appendHostPrefix(b []byte, h *model.HostRow) []byte {
	b = append(b, RootHosts...)
	b = AppendEscape(append(b, '.'), h.Group)
	b = append(b, '.')
	b = appendHostElem(b, h)
	return append(b, '.')
}

func appendHostElem(b []byte, h *model.HostRow) []byte {
	if h.Name != "" && !h.DupName {
		return appendEscaped(b, h.Name)
	}
	b = appendEscaped(b, h.Name)
	b = appendEscaped(b, "@")
	return AppendEscape(b, h.ID)
}

// HostElement is the path element fleettop gives a host: Escape(name), or Escape(name+"@"+ID) when the
// name is empty or another agent claims it too.
func HostElement(h *model.HostRow) string { return string(appendHostElem(nil, h)) }

// appendSeriesName appends a model series name (the model's own vocabulary, "cpu.utilisation",
// "if.3.bytes_in"). Its elements are used as they are; one holding a byte outside [A-Za-z0-9_-], or an empty
// one, is escaped so the path stays well formed.
func appendSeriesName(b []byte, name string) []byte {
	start := 0
	for i := 0; i <= len(name); i++ {
		if i < len(name) && name[i] != '.' {
			continue
		}
		el := name[start:i]
		if start > 0 {
			b = append(b, '.')
		}
		if el != "" && vocabulary(el) {
			b = append(b, el...)
		} else {
			b = AppendEscape(b, el)
		}
		start = i + 1
	}
	return b
}

func vocabulary(el string) bool {
	for i := 0; i < len(el); i++ {
		if c := el[i]; !plain(c) && c != '_' {
			return false
		}
	}
	return true
}

// appendAddr writes an address element: its text form, escaped ("10.0.0.1" is "10__0__0__1").
func appendAddr(b []byte, a netip.Addr) []byte {
	var tmp [64]byte
	return AppendEscape(b, a.AppendTo(tmp[:0]))
}
