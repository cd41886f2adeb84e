package model

import (
	"math"
	"slices"
)

// JVMs as the jmx-sflow-agent reports them (jvm_statistics, counter 0:2106), per host and per group: which
// group's JVMs spend their time collecting garbage, and whose heap is near its max.

// JVMRow is what the JVMs of one host report, over those still reporting.
type JVMRow struct {
	JVMs          int     // JVM data sources still reporting
	HeapUsed      float64 // bytes, summed
	HeapCommitted float64 // bytes, summed
	HeapMax       float64 // bytes, summed over the JVMs that know their max; NaN when none does
	HeapPct       float64 // 100·used/max over the JVMs that know their max; NaN when none does
	GCRate        float64 // collections/s, summed
	// GCTimePct is the time spent collecting garbage in % of wall time (Δgc_mS per second / 10), added up over
	// the host's JVMs (one per host is the agent's usual deployment).
	GCTimePct float64
	Threads   float64 // live threads, summed
	FDsOpen   float64 // open file descriptors, summed; NaN when the agent does not send them
}

// JVMGroup is the JVMs of a group's hosts still reporting: sums, the mean over hosts and the worst host.
type JVMGroup struct {
	Hosts         int     // hosts with JVMs reporting
	JVMs          int     // their JVMs
	HeapUsed      float64 // bytes, summed
	HeapCommitted float64 // bytes, summed
	HeapMax       float64 // bytes, summed
	HeapPct       float64 // 100·Σused/Σmax over the JVMs that know their max
	HeapPctMax    float64 // the host nearest its max
	GCRate        float64 // collections/s, summed
	GCTimePct     float64 // mean over the hosts of their JVMs' GC time, % of wall time
	GCTimePctMax  float64 // the host that collects the most
	Threads       float64 // summed
	FDsOpen       float64 // summed
}

// jvmRow sums up the host's JVMs still reporting; nil when it has none.
func (h *hostBuild) jvmRow() *JVMRow {
	var n int
	var used, committed, limit, usedOfMax, rate, gcTime, threads, fds runSum
	for i, v := range h.members {
		if !v.jvm || v.role != roleApp || !h.fresh[i] {
			continue
		}
		n++
		u, mx := v.value(mJVMHeapUsed), v.value(mJVMHeapMax)
		used.add(u, 1)
		committed.add(v.value(mJVMCommitted), 1)
		if !math.IsNaN(u) && !math.IsNaN(mx) {
			limit.add(mx, 1)
			usedOfMax.add(u, 1)
		}
		rate.add(v.value(mJVMGC), 1)
		gcTime.add(v.value(mJVMGCTime)/10, 1)
		threads.add(v.value(mJVMThreads), 1)
		fds.add(v.value(mJVMFDs), 1)
	}
	if n == 0 {
		return nil
	}
	return &JVMRow{JVMs: n, HeapUsed: used.total(), HeapCommitted: committed.total(), HeapMax: limit.total(),
		HeapPct: ratioPct(usedOfMax.total(), limit.total()), GCRate: rate.total(), GCTimePct: gcTime.total(),
		Threads: threads.total(), FDsOpen: fds.total()}
}

// What a host's JVMs add to their group's figures.
const (
	jsJVMs = iota
	jsUsed
	jsCommitted
	jsMax
	jsUsedOfMax // the heap used of the JVMs that know their max
	jsGCRate
	jsGCTime
	jsThreads
	jsFDs
	numJVMSums
)

// jvmContrib is what one host row's JVMs add to its group.
type jvmContrib struct {
	ok      bool // the host has JVMs reporting
	sums    [numJVMSums]float64
	heapPct float64
	gcTime  float64
}

func jvmContribOf(r *HostRow) jvmContrib {
	j := r.JVM
	if j == nil || r.State != HostOK {
		return jvmContrib{}
	}
	c := jvmContrib{ok: true, heapPct: j.HeapPct, gcTime: j.GCTimePct}
	c.sums = [numJVMSums]float64{jsJVMs: float64(j.JVMs), jsUsed: j.HeapUsed, jsCommitted: j.HeapCommitted,
		jsMax: j.HeapMax, jsUsedOfMax: j.HeapPct * j.HeapMax / 100, jsGCRate: j.GCRate, jsGCTime: j.GCTimePct,
		jsThreads: j.Threads, jsFDs: j.FDsOpen}
	return c
}

// jvmAcc keeps a group's JVM figures up to date host by host. The worst hosts are found again from peaks
// when a host changed: one entry per host with JVMs, keyed by where its contribution is kept.
type jvmAcc struct {
	hosts int
	sums  [numJVMSums]runSum
	peaks map[*jvmContrib][2]float64 // heap %, GC time %
	dirty bool
	max   [2]float64
}

// apply adds (sign 1) or takes back (sign -1) one host's contribution, which stays at c in between.
func (a *jvmAcc) apply(c *jvmContrib, sign int) {
	if !c.ok {
		return
	}
	a.hosts += sign
	for i, v := range c.sums {
		a.sums[i].add(v, sign)
	}
	if a.peaks == nil {
		a.peaks = make(map[*jvmContrib][2]float64)
	}
	if sign > 0 {
		a.peaks[c] = [2]float64{c.heapPct, c.gcTime}
	} else {
		delete(a.peaks, c)
	}
	a.dirty = true
}

// group returns the group's figures.
func (a *jvmAcc) group() JVMGroup {
	if a.dirty || a.hosts == 0 {
		a.max = [2]float64{math.NaN(), math.NaN()}
		for _, p := range a.peaks {
			for i, v := range p {
				if !math.IsNaN(v) && (math.IsNaN(a.max[i]) || v > a.max[i]) {
					a.max[i] = v
				}
			}
		}
		a.dirty = false
	}
	s := &a.sums
	var gcMean float64 = math.NaN()
	if a.hosts > 0 {
		gcMean = s[jsGCTime].total() / float64(a.hosts)
	}
	return JVMGroup{Hosts: a.hosts, JVMs: int(math.Round(zeroNaN(s[jsJVMs].total()))), HeapUsed: s[jsUsed].total(),
		HeapCommitted: s[jsCommitted].total(), HeapMax: s[jsMax].total(),
		HeapPct: ratioPct(s[jsUsedOfMax].total(), s[jsMax].total()), HeapPctMax: a.max[0],
		GCRate: s[jsGCRate].total(), GCTimePct: gcMean, GCTimePctMax: a.max[1], Threads: s[jsThreads].total(),
		FDsOpen: s[jsFDs].total()}
}

func zeroNaN(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// jvmGroupOf is jvmAcc's figures over host rows (GroupRowsOf).
func jvmGroupOf(hosts []*HostRow) JVMGroup {
	cs := make([]jvmContrib, len(hosts))
	var a jvmAcc
	for i, h := range hosts {
		cs[i] = jvmContribOf(h)
		a.apply(&cs[i], 1)
	}
	return a.group()
}

// The group series the JVM history is made of, by index in groupSeries.
var (
	gsJVMGCTime   = slices.Index(groupSeries[:], mJVMGCTime)
	gsJVMHeapUsed = slices.Index(groupSeries[:], mJVMHeapUsed)
	gsJVMHeapMax  = slices.Index(groupSeries[:], mJVMHeapMax)
)

// jvmHistory turns a group's series of GC time (mean over hosts, ms/s), heap used and heap max (sums) into
// its GC time % and heap % series.
func jvmHistory(gcTime, used, limit []float64) (gcPct, heapPct []float64) {
	gcPct = make([]float64, len(gcTime))
	heapPct = make([]float64, len(used))
	for i, v := range gcTime {
		gcPct[i] = v / 10
	}
	for i := range heapPct {
		heapPct[i] = ratioPct(used[i], limit[i])
	}
	return gcPct, heapPct
}
