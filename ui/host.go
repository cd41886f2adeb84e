package ui

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/fleettop/fleettop/model"
)

// hostPane is the drill-down into one host: identity and ENC data, its key counters as charts and every counter
// as a sparkline row, and its talkers, URLs and memcache keys. It scrolls by line.
type hostPane struct {
	*Common
	snap     *model.Snapshot
	host     *model.HostRow
	gone     bool
	counters *table
	flows    *flowTables
	flowsFor string // the host flows were counted for (FlowSource); "" while the tables filter the global ones
	lines    []string
	offset   int
	w, h     int
	cache    string
	dirty    bool
}

func newHostPane(c *Common) *hostPane {
	p := &hostPane{Common: c, dirty: true}
	p.counters = newTable(c, "Counters", counterCols, cName, false, false)
	p.counters.empty = "no counters from this host yet"
	p.counters.sparkMax = 120 // the history is the point of this table
	p.flows = newFlowTables(c, "host")
	return p
}

// SetFlows shows the host's own talkers, URLs and keys, counted for host id; SetHost stops filtering the global
// tables for it.
func (p *hostPane) SetFlows(id string, fl model.Flows, names map[string]string, arrow string) {
	p.flowsFor = id
	p.flows.set(fl, names, arrow)
	p.dirty = true
}

// SetHost shows host id from snapshot s; a host that left the snapshot stays shown, marked gone.
func (p *hostPane) SetHost(s *model.Snapshot, id string, names map[string]string, arrow string) {
	var h *model.HostRow
	for i := range s.Hosts {
		if s.Hosts[i].ID == id {
			h = s.Hosts[i]
			break
		}
	}
	if h == nil {
		p.gone = true
		p.dirty = true
		return
	}
	if p.host == nil || p.host.ID != id {
		p.offset = 0
	}
	p.snap, p.host, p.gone = s, h, false
	p.counters.SetRows(counterRows(s.AlignedSeries(h.Series)))
	p.dirty = true
	if p.flowsFor == id {
		return // the host's own flows, counted after each snapshot
	}
	p.flowsFor = ""
	p.filterGlobal(s, h, names, arrow)
}

// filterGlobal shows what of the Snapshot's global top-N tables concerns host h: all there is without a
// FlowSource.
func (p *hostPane) filterGlobal(s *model.Snapshot, h *model.HostRow, names map[string]string, arrow string) {
	id := h.ID
	var talk []model.TalkerRow
	for _, t := range s.TalkersByPair {
		if (h.Name != "" && (t.SrcHost == h.Name || t.DstHost == h.Name)) ||
			(h.Agent.IsValid() && (t.Src == h.Agent || t.Dst == h.Agent)) {
			talk = append(talk, t)
		}
	}
	t := p.flows
	t.talkers.empty = "none of the top talkers involves this host"
	t.urls.empty = "none of the hottest URLs is served here"
	t.keys.empty = "none of the busiest memcache keys lives here"
	t.talkers.window, t.urls.window, t.keys.window = "", "", ""
	t.talkers.SetRows(talkerRows(talk, byPair, arrow))
	var urls []model.URLRow
	for _, u := range s.URLs {
		if u.Server == id {
			urls = append(urls, u)
		}
	}
	t.urls.SetRows(urlRows(urls, names))
	var keys []model.KeyRow
	for _, k := range s.Keys {
		if k.Server == id {
			keys = append(keys, k)
		}
	}
	t.keys.SetRows(keyRows(keys, names))
}

func (p *hostPane) SetSize(w, h int) {
	if p.w != w || p.h != h {
		p.w, p.h, p.dirty = w, h, true
	}
}

func (p *hostPane) SetFocused(bool) {}

// Scroll moves the view by delta lines.
func (p *hostPane) Scroll(delta int) {
	n := max(0, min(len(p.lines)-p.h, p.offset+delta))
	if n != p.offset {
		p.offset = n
		p.dirty = true
	}
}

func (p *hostPane) Page() int { return max(1, p.h-1) }

func (p *hostPane) View() string {
	if !p.dirty && p.cache != "" {
		return p.cache
	}
	p.dirty = false
	if p.w <= 0 || p.h <= 0 {
		p.cache = ""
		return ""
	}
	p.lines = p.content()
	p.offset = max(0, min(p.offset, len(p.lines)-p.h))
	end := min(len(p.lines), p.offset+p.h)
	p.cache = block(p.lines[p.offset:end], p.w, p.h)
	return p.cache
}

// chunk is a piece of styled text for flowLines: sep goes before it unless it starts a line; brk starts one.
type chunk struct {
	text string
	sep  string
	brk  bool
}

// flowLines lays chunks out in lines of at most w cells, wrapping between chunks; a chunk wider than a line is
// wrapped inside.
func flowLines(chunks []chunk, w int, ell string) []string {
	var lines []string
	var cur strings.Builder
	used := 0
	for _, c := range chunks {
		cw := textWidthStyled(c.text)
		if used > 0 && (c.brk || used+len(c.sep)+cw > w) {
			lines = append(lines, cur.String())
			cur.Reset()
			used = 0
		}
		if used > 0 {
			cur.WriteString(c.sep)
			used += len(c.sep)
		}
		if cw > w-used {
			// wider than a line (a long ENC failure): wrapped whole, never cut
			parts := strings.Split(ansi.Wrap(c.text, max(1, w-used), " "), "\n")
			cur.WriteString(parts[0])
			for _, l := range parts[1:] {
				lines = append(lines, cur.String())
				cur.Reset()
				cur.WriteString(l)
			}
			used = textWidthStyled(parts[len(parts)-1])
			continue
		}
		cur.WriteString(c.text)
		used += cw
	}
	if used > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

func (p *hostPane) content() []string {
	st := p.St
	h := p.host
	if h == nil {
		return []string{st.muted.str("host not found in the snapshot")}
	}
	lines := flowLines(p.identity(h), p.w, p.Glyph.ellipsis)
	lines = append(lines, "")
	if charts := p.charts(h); len(charts) > 0 {
		lines = append(lines, charts...)
		lines = append(lines, "")
	}
	if len(h.Series) > 0 {
		p.counters.SetSize(p.w, len(p.counters.rows)+2)
		lines = append(lines, strings.Split(p.counters.View(), "\n")...)
		lines = append(lines, "")
	}
	return append(lines, p.flows.lines(p.w)...)
}

// identity is the host's name, identity, ENC data and current figures, as chunks to flow into the width.
func (p *hostPane) identity(h *model.HostRow) []chunk {
	st := p.St
	field := func(k, v string, t paint) chunk {
		if v == "" {
			v = noValue
		}
		return chunk{text: st.muted.str(k+" ") + t.str(v), sep: "  "}
	}
	state, stTone := stateName(h.State)
	if p.gone {
		state, stTone = "left the snapshot", toneBad
	}
	agent := noValue
	if h.Agent.IsValid() {
		agent = h.Agent.String()
	}
	seen := noValue
	if !h.LastSeen.IsZero() && p.snap != nil {
		seen = age(p.snap.Time.Sub(h.LastSeen)) + " ago"
	}
	name := sanitize(h.Name)
	if h.DupName {
		name += " (name shared with another agent)"
	}
	cs := []chunk{
		{text: st.accent.str(name)},
		field("state", state, st.tones[stTone]), field("seen", seen, st.text), field("agent", agent, st.text),
		field("id", sanitize(h.ID), st.text), field("uuid", sanitize(h.UUID), st.text), field("os", sanitize(h.OS), st.text),
	}
	if h.Parent != "" {
		cs = append(cs, field("parent", sanitize(h.Parent), st.text))
	}
	enc := field("enc", sanitize(h.ENCStatus), st.tones[encTone(h.ENCStatus)])
	enc.brk = true
	cs = append(cs, field("apps", sanitize(strings.Join(h.Apps, " ")), st.text), enc,
		field("environment", sanitize(h.Environment), st.accent),
		field("classes", sanitize(strings.Join(h.Classes, ", ")), st.text))
	// Parameters one by one, so that a long list wraps between them rather than being cut.
	params := paramsList(h.Params)
	if len(params) == 0 {
		cs = append(cs, field("parameters", "", st.text))
	}
	for i, kv := range params {
		if i == 0 {
			cs = append(cs, field("parameters", kv, st.text))
			continue
		}
		cs = append(cs, chunk{text: st.text.str(kv), sep: " "})
	}
	// The figures of now: only those the host has.
	now := []string{"cpu " + pct(h.CPU), "load " + si(h.Load1), "mem " + pct(h.MemUsedPct) + " of " + si(h.MemTotal) + "B",
		"disk " + pct(h.DiskUsedPct) + " read " + si(h.DiskRead) + "B/s write " + si(h.DiskWrite) + "B/s",
		"net in " + si(h.NetIn) + "B/s out " + si(h.NetOut) + "B/s"}
	if !math.IsNaN(h.HTTPRate) {
		now = append(now, "http "+si(h.HTTPRate)+"/s 5xx "+pct(h.HTTP5xxPct))
	}
	if !math.IsNaN(h.MemcacheOps) {
		now = append(now, "memcache "+si(h.MemcacheOps)+"/s hit "+pct(h.MemcacheHit))
	}
	if !math.IsNaN(h.JVMHeapUsed) {
		now = append(now, "jvm heap "+si(h.JVMHeapUsed)+"B gc "+si(h.JVMGCRate)+"/s")
	}
	for i, f := range now {
		if i == 0 {
			cs = append(cs, chunk{text: st.muted.str("now ") + st.text.str(f), sep: "  ", brk: true})
			continue
		}
		cs = append(cs, chunk{text: st.text.str(f), sep: "  "})
	}
	return cs
}

// chartFirst are the counters worth a chart, in order; the others are sparkline rows in the counters table.
var chartFirst = []string{
	"cpu.utilisation", "net.bytes_in", "net.bytes_out", "http.requests", "http.status.5xx", "memcache.ops",
	"memcache.hit_ratio", "jvm.heap_used", "load.one", "mem.used_pct", "jvm.gc",
}

// charts draws the host's most telling counters: a row of them, two rows when the pane is tall.
func (p *hostPane) charts(h *model.HostRow) []string {
	cols := max(1, min(3, p.w/56))
	rows := 1
	if p.h >= 40 {
		rows = 2
	}
	var picked []model.NamedSeries
	for _, name := range chartFirst {
		if len(picked) == cols*rows {
			break
		}
		if i := slices.IndexFunc(h.Series, func(s model.NamedSeries) bool { return s.Name == name }); i >= 0 {
			picked = append(picked, h.Series[i])
		}
	}
	if len(picked) == 0 {
		return nil
	}
	chartH := 9
	if p.Theme.Spacious {
		chartH = 12
	}
	cols = min(cols, len(picked))
	colW := (p.w - (cols - 1)) / cols
	var lines []string
	for r := 0; r*cols < len(picked); r++ {
		blocks := make([]string, 0, cols)
		widths := make([]int, 0, cols)
		for c := 0; c < cols; c++ {
			w := colW
			if c == cols-1 {
				w = p.w - (colW+1)*(cols-1)
			}
			i := r*cols + c
			if i >= len(picked) {
				blocks = append(blocks, block(nil, w, chartH))
			} else {
				blocks = append(blocks, renderChart(p.Common, p.chartSpec(picked[i]), w, chartH))
			}
			widths = append(widths, w)
		}
		lines = append(lines, strings.Split(joinColumns(blocks, widths, chartH, " "), "\n")...)
	}
	return lines
}

// chartSpec charts a series from its first known point: a host heard from for a minute gets a minute-wide chart,
// not a quarter of an hour of nothing with a dot at the end.
func (p *hostPane) chartSpec(s model.NamedSeries) chartSpec {
	title := s.Name
	if s.Unit != "" {
		title += " (" + s.Unit + ")"
	}
	spec := chartSpec{title: title, series: []ChartSeries{{Name: s.Name, Points: s.Points}}}
	if p.snap != nil && p.snap.Step > 0 && len(s.Points) > 1 {
		spec.series[0].Points = p.snap.Aligned(&s)
		spec.end = p.snap.Time
		spec.start = spec.end.Add(-time.Duration(len(s.Points)-1) * p.snap.Step)
	}
	spec.series, spec.start = trimLeadingNulls(spec.series, spec.start, spec.end)
	return spec
}

// Counter table columns (a host's series).
const (
	cName = iota
	cUnit
	cNow
	cCols
)

var counterCols = []column{
	// The name sorts by its natural order (if.2 before if.10), kept in nums.
	cName: {title: "counter", width: 20, flex: true, keep: 100, grow: 6, most: 40},
	cUnit: {title: "unit", width: 5, text: true, keep: 50},
	cNow:  {title: "now", width: 7, right: true, spark: true, keep: 90},
}

func counterRows(series []model.NamedSeries) []row {
	order := make([]int, len(series))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return naturalCompare(series[a].Name, series[b].Name) })
	rows := make([]row, len(series))
	for rank, i := range order {
		s := &series[i]
		r := newRow(cCols)
		r.id = rowID("counter", s.Name)
		r.key = s.Name
		r.set(cName, sanitize(s.Name), float64(rank), toneText)
		r.set(cUnit, sanitize(s.Unit), 0, toneMuted)
		last := math.NaN()
		for j := len(s.Points) - 1; j >= 0; j-- {
			if !math.IsNaN(s.Points[j]) {
				last = s.Points[j]
				break
			}
		}
		text := si(last)
		if s.Unit == "%" {
			text = pct(last)
		}
		r.set(cNow, text, last, toneText)
		r.spark(cNow, s.Points)
		r.finish()
		rows[i] = r
	}
	return rows
}

// naturalCompare orders names with runs of digits compared as numbers: "if.2" before "if.10".
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) - len(nb)
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// paramsList renders ENC parameters as "k=v", keys sorted.
func paramsList(p map[string]string) []string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = sanitize(k + "=" + p[k])
	}
	return out
}

// age formats a duration compactly: 45s, 12m, 3h, 2d.
func age(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "d"
}
