package ui

import (
	"math"
	"strconv"

	"github.com/fleettop/fleettop/model"
)

// The JVM pane (`J`): which group's JVMs spend their time collecting garbage, and whose heap is near its max.
// One row per group with JVMs, the worst first; Enter lists the group's hosts with JVMs, Enter again opens a
// host's page, Esc goes back.

// JVM table columns; the groups' and the hosts' tables share them (a host's "worst" columns are its own).
const (
	jName = iota
	jCount
	jGC
	jGCMax
	jHeap
	jHeapMax
	jGCRate
	jUsed
	jCommitted
	jMax
	jThreads
	jFDs
	jCols
)

// jvmCols are the JVM table's columns; worst is the title of the worst host's columns, "" for none (a host's
// table: they stay empty and go first).
func jvmCols(who, worst string) []column {
	worstKeep := 70
	if worst == "" {
		worstKeep = 1
	}
	return []column{
		jName:      {title: who, width: 14, flex: true, text: true, keep: 100, grow: 8, most: 40},
		jCount:     {title: "jvms", width: 4, right: true, keep: 80},
		jGC:        {title: "gc time", width: 8, right: true, spark: true, keep: 98},
		jGCMax:     {title: worst, width: 5, right: true, keep: worstKeep},
		jHeap:      {title: "heap", width: 5, right: true, spark: true, keep: 97},
		jHeapMax:   {title: worst, width: 5, right: true, keep: worstKeep - 1},
		jGCRate:    {title: "gc/s", width: 5, right: true, keep: 60},
		jUsed:      {title: "used B", width: 6, right: true, keep: 55},
		jCommitted: {title: "commit B", width: 8, right: true, keep: 30},
		jMax:       {title: "max B", width: 6, right: true, keep: 35},
		jThreads:   {title: "threads", width: 7, right: true, keep: 50},
		jFDs:       {title: "fds", width: 6, right: true, keep: 45},
	}
}

var (
	jvmGroupCols = jvmCols("group", "worst")
	jvmHostCols  = jvmCols("host", "")
)

// gcTone marks a share of time in garbage collection: 5 % is worth a look, 20 % is a JVM that does little else.
func gcTone(v float64) tone { return levelTone(v, 5, 20) }

// heapTone marks a heap near its max.
func heapTone(v float64) tone { return levelTone(v, 80, 95) }

// newJVMRow starts the row of a group or host (kind) named name, which Enter acts on by key.
func newJVMRow(kind, key, name string, jvms int) row {
	r := newRow(jCols)
	r.id = rowID(kind, key)
	r.key = key
	r.set(jName, sanitize(name), 0, toneText)
	r.set(jCount, strconv.Itoa(jvms), float64(jvms), toneText)
	return r
}

// setJVM fills the figure columns of a JVM row.
func (r *row) setJVM(gc, gcMax, heap, heapMax, rate, used, committed, limit, threads, fds float64) {
	r.set(jGC, pct(gc), gc, gcTone(gc))
	r.set(jGCMax, pct(gcMax), gcMax, gcTone(gcMax))
	r.set(jHeap, pct(heap), heap, heapTone(heap))
	r.set(jHeapMax, pct(heapMax), heapMax, heapTone(heapMax))
	r.set(jGCRate, si(rate), rate, toneText)
	r.set(jUsed, si(used), used, toneText)
	r.set(jCommitted, si(committed), committed, toneMuted)
	r.set(jMax, si(limit), limit, toneMuted)
	r.set(jThreads, si(threads), threads, toneText)
	r.set(jFDs, si(fds), fds, toneText)
}

// jvmGroupRows lists the groups with JVMs reporting.
func jvmGroupRows(s *model.Snapshot) []row {
	var rows []row
	for i := range s.Groups {
		g := &s.Groups[i]
		j := &g.JVM
		if j.Hosts == 0 {
			continue
		}
		r := newJVMRow("jvm-group", g.Name, g.Name, j.JVMs)
		r.setJVM(j.GCTimePct, j.GCTimePctMax, j.HeapPct, j.HeapPctMax, j.GCRate, j.HeapUsed, j.HeapCommitted, j.HeapMax,
			j.Threads, j.FDsOpen)
		r.spark(jGC, g.History.JVMGCTimePct)
		r.spark(jHeap, g.History.JVMHeapPct)
		r.finish()
		rows = append(rows, r)
	}
	return rows
}

// jvmHostRows lists the hosts of group with JVMs reporting.
func jvmHostRows(s *model.Snapshot, group string) []row {
	var rows []row
	for _, h := range s.Hosts {
		j := h.JVM
		if h.Group != group || j == nil {
			continue
		}
		r := newJVMRow("jvm-host", h.ID, h.Name, j.JVMs)
		r.setJVM(j.GCTimePct, math.NaN(), j.HeapPct, math.NaN(), j.GCRate, j.HeapUsed, j.HeapCommitted, j.HeapMax,
			j.Threads, j.FDsOpen)
		r.cells[jGCMax], r.cells[jHeapMax] = "", ""
		if pts := hostSeries(s, h, "jvm.gc_time"); pts != nil {
			gc := make([]float64, len(pts))
			for i, v := range pts {
				gc[i] = v / 10 // ms/s → % of wall time
			}
			r.spark(jGC, gc)
		}
		r.finish(h.ID)
		rows = append(rows, r)
	}
	return rows
}

// hostSeries returns the points of a host's series name lined up with the snapshot's step, nil when it has none.
func hostSeries(s *model.Snapshot, h *model.HostRow, name string) []float64 {
	for i := range h.Series {
		if h.Series[i].Name == name {
			return s.Aligned(&h.Series[i])
		}
	}
	return nil
}

// showJVMs opens the JVM pane.
func (m *Model) showJVMs() {
	m.level = levelJVM
	if m.snap != nil {
		m.jvmGroups.SetRows(jvmGroupRows(m.snap))
	}
}

// drillJVM goes from the JVM pane's group to its hosts, and from a host to its page.
func (m *Model) drillJVM() {
	switch m.level {
	case levelJVM:
		if r := m.jvmGroups.Selected(); r != nil {
			m.drillGroup, m.level = r.key, levelJVMHosts
			m.jvmHosts.cursor, m.jvmHosts.offset = 0, 0
			m.jvmHosts.SetRows(jvmHostRows(m.snap, m.drillGroup))
		}
	case levelJVMHosts:
		if r := m.jvmHosts.Selected(); r != nil {
			m.drillToHost(r.key)
			m.hostFrom = levelJVMHosts
		}
	}
}
