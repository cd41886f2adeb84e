package model

import (
	"math"
	"slices"
	"strings"
	"time"
)

// GroupRowsOf aggregates host rows into group rows the way a snapshot does (current figures over the hosts
// still reporting, history over every host's series, NaN from point complete on): the groups of hosts merged
// from several collectors. points is the length of the hosts' series, which all end at the same step
// (Snapshot.Aligned).
func GroupRowsOf(hosts []*HostRow, points, complete int) []GroupRow {
	byGroup := make(map[string][]*HostRow)
	for _, h := range hosts {
		byGroup[h.Group] = append(byGroup[h.Group], h)
	}
	rows := make([]GroupRow, 0, len(byGroup))
	for name, hs := range byGroup {
		g := GroupRow{Name: name, Hosts: len(hs)}
		var cpu, netIn, netOut, http, http5xx, mcOps, mcHits, mcGets, diskR, diskW, mem, heap runSum
		for _, r := range hs {
			if r.State != HostOK {
				g.StaleHosts++
				continue
			}
			cpu.add(r.CPU, 1)
			netIn.add(r.NetIn, 1)
			netOut.add(r.NetOut, 1)
			http.add(r.HTTPRate, 1)
			http5xx.add(r.HTTP5xxPct*r.HTTPRate/100, 1)
			mcOps.add(r.MemcacheOps, 1)
			diskR.add(r.DiskRead, 1)
			diskW.add(r.DiskWrite, 1)
			mem.add(r.MemUsedPct, 1)
			heap.add(r.JVMHeapUsed, 1)
			mcHits.add(r.MemcacheHit*r.MemcacheGets/100, 1)
			mcGets.add(r.MemcacheGets, 1)
		}
		g.CPU = cpu.mean()
		g.NetIn = netIn.total()
		g.NetOut = netOut.total()
		g.HTTPRate = http.total()
		g.HTTP5xxPct = ratioPct(http5xx.total(), g.HTTPRate)
		g.MemcacheOps = mcOps.total()
		g.MemcacheHit = ratioPct(mcHits.total(), mcGets.total())
		g.DiskRead = diskR.total()
		g.DiskWrite = diskW.total()
		g.MemUsedPct = mem.mean()
		g.JVMHeapUsed = heap.total()
		g.JVM = jvmGroupOf(hs)
		g.History = rowHistory(hs, points, complete)
		rows = append(rows, g)
	}
	slices.SortFunc(rows, func(a, b GroupRow) int { return compareGroups(a.Name, b.Name) })
	return rows
}

// rowHistory is groupHistory over host rows, whose series are found by name.
func rowHistory(hosts []*HostRow, points, complete int) GroupHistory {
	series := func(h *HostRow, m metric) []float64 {
		name := metricInfos[m].name
		i, ok := slices.BinarySearchFunc(h.Series, name, func(s NamedSeries, n string) int {
			return strings.Compare(s.Name, n)
		})
		if !ok || len(h.Series[i].Points) != points {
			return nil
		}
		return h.Series[i].Points
	}
	combine := func(m metric, mean bool) []float64 {
		var cols [][]float64
		for _, h := range hosts {
			if pts := series(h, m); pts != nil {
				cols = append(cols, pts)
			}
		}
		out := make([]float64, points)
		for i := range out {
			if i >= complete {
				out[i] = math.NaN()
				continue
			}
			var s runSum
			for _, pts := range cols {
				s.add(pts[i], 1)
			}
			if mean {
				out[i] = s.mean()
			} else {
				out[i] = s.total()
			}
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
	g := GroupHistory{
		CPU:         combine(mCPU, true),
		NetIn:       combine(mNetIn, false),
		NetOut:      combine(mNetOut, false),
		HTTPRate:    combine(mHTTPRequests, false),
		MemcacheOps: combine(mMemcacheOps, false),
	}
	g.HTTP5xxPct = ratio(combine(mHTTP5xx, false), g.HTTPRate)
	g.MemcacheHit = ratio(combine(mMemcacheHits, false), combine(mMemcacheGets, false))
	g.JVMGCTimePct, g.JVMHeapPct = jvmHistory(combine(mJVMGCTime, true), combine(mJVMHeapUsed, false),
		combine(mJVMHeapMax, false))
	return g
}

// CompletePoints is how many of the points series of length points hold, ending with the step t falls in, are
// before horizon (Snapshot.Horizon): those every reporting host has reported.
func CompletePoints(t, horizon time.Time, step time.Duration, points int) int {
	if step <= 0 {
		return 0
	}
	lastBin := floorDiv(t.UnixNano(), int64(step))
	horizonBin := floorDiv(horizon.UnixNano(), int64(step)) - 1
	return min(max(points-int(lastBin-horizonBin), 0), points)
}

// SortHostRows sorts rows the way a snapshot lists them: by group (Unclassified last), then name, then ID.
func SortHostRows(rows []*HostRow) {
	slices.SortFunc(rows, func(a, b *HostRow) int {
		if c := compareGroups(a.Group, b.Group); c != 0 {
			return c
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}
