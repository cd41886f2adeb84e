package model

import (
	"math"
	"slices"
)

// Group figures are kept up to date host by host: a host row that changes takes back what its previous row
// added to its group (current figures and every point of its series) and adds the new row's. A publish then
// costs the hosts that changed, not the hosts there are.

// The current figures of a group, over its hosts still reporting.
const (
	gcCPU = iota // averaged
	gcNetIn
	gcNetOut
	gcHTTP
	gcHTTP5xx
	gcMcOps
	gcMcHits
	gcMcGets
	gcDiskRead
	gcDiskWrite
	gcMem // averaged
	gcHeap
	numGroupCur
)

// The series of a group, over all its hosts.
var groupSeries = [...]metric{mCPU, mNetIn, mNetOut, mHTTPRequests, mHTTP5xx, mMemcacheOps, mMemcacheHits,
	mMemcacheGets, mJVMGCTime, mJVMHeapUsed, mJVMHeapMax}

// groupContrib is what one host row adds to its group.
type groupContrib struct {
	ok     bool // counted in the current figures (it still reports)
	cur    [numGroupCur]float64
	series [len(groupSeries)]seriesPoints
	jvm    jvmContrib
}

func contribution(r *HostRow, h *hostBuild) groupContrib {
	c := groupContrib{ok: r.State == HostOK}
	c.cur = [numGroupCur]float64{
		gcCPU: r.CPU, gcNetIn: r.NetIn, gcNetOut: r.NetOut, gcHTTP: r.HTTPRate,
		gcHTTP5xx: r.HTTP5xxPct * r.HTTPRate / 100, gcMcOps: r.MemcacheOps, gcMcHits: h.mcHits, gcMcGets: h.mcGets,
		gcDiskRead: r.DiskRead, gcDiskWrite: r.DiskWrite, gcMem: r.MemUsedPct, gcHeap: r.JVMHeapUsed,
	}
	c.series = h.series
	c.jvm = jvmContribOf(r)
	return c
}

// runSum is a sum that values can be taken back from; NaN and infinite values are left out. Its total and
// mean are NaN when it holds no value.
type runSum struct {
	sum float64
	n   int
}

func (s *runSum) add(v float64, sign int) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return
	}
	s.sum += float64(sign) * v
	if s.n += sign; s.n == 0 {
		s.sum = 0 // no rounding residue once empty
	}
}

func (s runSum) total() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return s.sum
}

func (s runSum) mean() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return s.sum / float64(s.n)
}

// binSum is the sum of one bin of a group series.
type binSum struct {
	bin int64
	runSum
}

// groupAcc is one group being kept up to date.
type groupAcc struct {
	name    string
	hosts   int
	stale   int
	cur     [numGroupCur]runSum
	bins    [len(groupSeries)][]binSum // a ring by bin
	version uint64                     // counts changes, for reusing the history built last
	jvm     jvmAcc

	hist        GroupHistory
	histVersion uint64
	histLast    int64
	histDone    int // the complete points hist was built with
}

func newGroupAcc(name string, points int) *groupAcc {
	g := &groupAcc{name: name}
	for i := range g.bins {
		g.bins[i] = make([]binSum, points+1)
		for j := range g.bins[i] {
			g.bins[i][j].bin = math.MinInt64
		}
	}
	return g
}

// apply adds (sign 1) or takes back (sign -1) one host's contribution.
func (g *groupAcc) apply(c *groupContrib, sign int) {
	g.version++
	g.hosts += sign
	if !c.ok {
		g.stale += sign
	} else {
		for i, v := range c.cur {
			g.cur[i].add(v, sign)
		}
		g.jvm.apply(&c.jvm, sign)
	}
	for i, sp := range c.series {
		ring := g.bins[i]
		n := int64(len(ring))
		for j, v := range sp.pts {
			if math.IsNaN(v) {
				continue
			}
			bin := sp.last - int64(len(sp.pts)-1-j)
			slot := &ring[((bin%n)+n)%n]
			if slot.bin != bin {
				if sign < 0 || bin < slot.bin {
					continue // that bin left the ring: what it held went with it
				}
				*slot = binSum{bin: bin}
			}
			slot.add(v, sign)
		}
	}
}

// at returns the sum of series i in bin.
func (g *groupAcc) at(i int, bin int64) runSum {
	ring := g.bins[i]
	n := int64(len(ring))
	if slot := ring[((bin%n)+n)%n]; slot.bin == bin {
		return slot.runSum
	}
	return runSum{}
}

// row is the group's line; its history ends at bin last, NaN from complete on.
func (g *groupAcc) row(points int, last int64, complete int) GroupRow {
	r := GroupRow{Name: g.name, Hosts: g.hosts, StaleHosts: g.stale}
	c := &g.cur
	r.CPU = c[gcCPU].mean()
	r.NetIn = c[gcNetIn].total()
	r.NetOut = c[gcNetOut].total()
	r.HTTPRate = c[gcHTTP].total()
	r.HTTP5xxPct = ratioPct(c[gcHTTP5xx].total(), r.HTTPRate)
	r.MemcacheOps = c[gcMcOps].total()
	r.MemcacheHit = ratioPct(c[gcMcHits].total(), c[gcMcGets].total())
	r.DiskRead = c[gcDiskRead].total()
	r.DiskWrite = c[gcDiskWrite].total()
	r.MemUsedPct = c[gcMem].mean()
	r.JVMHeapUsed = c[gcHeap].total()
	r.JVM = g.jvm.group()
	if g.histVersion != g.version || g.histLast != last || g.histDone != complete || g.hist.CPU == nil {
		g.hist = g.history(points, last, complete)
		g.histVersion, g.histLast, g.histDone = g.version, last, complete
	}
	r.History = g.hist
	return r
}

// history combines the hosts' series point by point; the points from complete on are NaN: not every host has
// reported those steps yet (Snapshot.Horizon).
func (g *groupAcc) history(points int, last int64, complete int) GroupHistory {
	series := func(i int, f func(runSum) float64) []float64 {
		out := make([]float64, points)
		for j := range out {
			if j >= complete {
				out[j] = math.NaN()
				continue
			}
			out[j] = f(g.at(i, last-int64(points-1-j)))
		}
		return out
	}
	ratio := func(num, den []float64) []float64 {
		out := make([]float64, points)
		for i := range out {
			out[i] = ratioPct(num[i], den[i])
		}
		return out
	}
	total, mean := runSum.total, runSum.mean
	h := GroupHistory{
		CPU:         series(0, mean),
		NetIn:       series(1, total),
		NetOut:      series(2, total),
		HTTPRate:    series(3, total),
		MemcacheOps: series(5, total),
	}
	h.HTTP5xxPct = ratio(series(4, total), h.HTTPRate)
	h.MemcacheHit = ratio(series(6, total), series(7, total))
	h.JVMGCTimePct, h.JVMHeapPct = jvmHistory(series(gsJVMGCTime, mean), series(gsJVMHeapUsed, total),
		series(gsJVMHeapMax, total))
	return h
}

// sortedGroupNames returns the names with Unclassified last.
func sortedGroupNames(groups map[string]*groupAcc) []string {
	names := make([]string, 0, len(groups))
	for n := range groups {
		names = append(names, n)
	}
	slices.SortFunc(names, compareGroups)
	return names
}
