package ui

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fleettop/fleettop/model"
)

// talkersPane shows one of the three top-talker tables; `t` switches between them.
type talkersPane struct {
	mode   talkerMode
	tables [3]*table
}

func newTalkersPane(c *Common) *talkersPane {
	p := &talkersPane{}
	for m := bySrc; m <= byPair; m++ {
		t := newTable(c, "Top talkers", talkerCols(m, c.Glyph.arrow), tBytes, true, true)
		t.note = m.String()
		p.tables[m] = t
	}
	return p
}

func (p *talkersPane) active() *table { return p.tables[p.mode] }

func (p *talkersPane) SetRows(s *model.Snapshot, arrow string) {
	p.tables[bySrc].SetRows(talkerRows(s.TalkersBySrc, bySrc, arrow))
	p.tables[byDst].SetRows(talkerRows(s.TalkersByDst, byDst, arrow))
	p.tables[byPair].SetRows(talkerRows(s.TalkersByPair, byPair, arrow))
}

func (p *talkersPane) NextMode() {
	old := p.active()
	p.mode = (p.mode + 1) % 3
	n := p.active()
	n.SetSize(old.w, old.h)
	n.SetFocused(old.focused)
}

func (p *talkersPane) SetSize(w, h int) {
	for _, t := range p.tables {
		t.SetSize(w, h)
	}
}

func (p *talkersPane) SetFocused(f bool) { p.active().SetFocused(f) }
func (p *talkersPane) View() string      { return p.active().View() }

// windowsPane draws the command line's windows as charts, in a grid that fits the width.
type windowsPane struct {
	*Common
	windows []WindowData
	print   uint64
	polled  bool
	first   int // the first window shown (scrolling by window)
	w, h    int
	focused bool
	cache   string
	dirty   bool
}

var windowSeed = maphash.MakeSeed()

// fingerprint changes when anything drawn of the windows changes, so the pane re-plots only then.
func fingerprint(ws []WindowData) uint64 {
	var h maphash.Hash
	h.SetSeed(windowSeed)
	var b [8]byte
	num := func(v uint64) {
		binary.LittleEndian.PutUint64(b[:], v)
		h.Write(b[:])
	}
	num(uint64(len(ws)))
	for _, w := range ws {
		for _, s := range []string{w.Name, w.Title, w.From, w.Until, w.Err} {
			h.WriteString(s)
			h.WriteByte(0)
		}
		num(uint64(w.Start.UnixNano()))
		num(uint64(w.End.UnixNano()))
		num(uint64(len(w.Series)))
		for _, s := range w.Series {
			h.WriteString(s.Name)
			num(uint64(len(s.Points)))
			for _, v := range s.Points {
				num(math.Float64bits(v))
			}
		}
	}
	return h.Sum64()
}

// SetWindows takes the current windows; it reports whether anything changed.
func (p *windowsPane) SetWindows(ws []WindowData) bool {
	f := fingerprint(ws)
	if f == p.print && p.polled {
		return false
	}
	p.windows, p.print, p.polled, p.dirty = ws, f, true, true
	if p.first >= len(ws) {
		p.first = max(0, len(ws)-1)
	}
	return true
}

func (p *windowsPane) SetSize(w, h int) {
	if p.w != w || p.h != h {
		p.w, p.h, p.dirty = w, h, true
	}
}

func (p *windowsPane) SetFocused(f bool) {
	if p.focused != f {
		p.focused, p.dirty = f, true
	}
}

// Scroll moves the first window shown.
func (p *windowsPane) Scroll(delta int) {
	n := max(0, min(len(p.windows)-1, p.first+delta))
	if n != p.first {
		p.first, p.dirty = n, true
	}
}

func (p *windowsPane) grid() (cols, rows int) {
	cols = 1
	if p.w >= 200 {
		cols = 3
	} else if p.w >= 110 {
		cols = 2
	}
	minH := 8
	if p.Theme.Spacious {
		minH = 12
	}
	rows = max(1, (p.h-1)/minH)
	return cols, rows
}

func (p *windowsPane) View() string {
	if !p.dirty && p.cache != "" {
		return p.cache
	}
	p.dirty = false
	if p.w <= 0 || p.h <= 0 {
		p.cache = ""
		return ""
	}
	st, g := p.St, p.Glyph
	titlePaint := st.title
	if p.focused {
		titlePaint = st.titleFocus
	}
	info := strconv.Itoa(len(p.windows))
	cols, rows := p.grid()
	n := len(p.windows) - p.first
	if n > cols*rows {
		info += ", " + strconv.Itoa(p.first+1) + "-" + strconv.Itoa(p.first+cols*rows) + " shown"
	}
	head := titlePaint.str("Windows") + st.muted.str(" "+info+" ")
	head = fitStyled(head+st.border.str(strings.Repeat(g.rule, max(0, p.w))), p.w)
	var out strings.Builder
	out.WriteString(head)
	body := p.h - 1
	if len(p.windows) == 0 {
		lines := []string{st.muted.str(" no windows: try  :draw TARGET  or  :load VIEW")}
		out.WriteByte('\n')
		out.WriteString(block(lines, p.w, body))
		p.cache = out.String()
		return p.cache
	}
	show := min(n, cols*rows)
	usedRows := (show + cols - 1) / cols
	if show < cols {
		cols = show
	}
	chartH := body / max(1, usedRows)
	colW := (p.w - (cols - 1)) / cols
	for r := 0; r < usedRows; r++ {
		h := chartH
		if r == usedRows-1 {
			h = body - chartH*(usedRows-1)
		}
		charts := make([]string, 0, cols)
		widths := make([]int, 0, cols)
		for c := 0; c < cols; c++ {
			i := p.first + r*cols + c
			w := colW
			if c == cols-1 {
				w = p.w - (colW+1)*(cols-1)
			}
			if i >= len(p.windows) || i >= p.first+show {
				charts = append(charts, block(nil, w, h))
			} else {
				charts = append(charts, renderChart(p.Common, windowSpec(p.windows[i]), w, h))
			}
			widths = append(widths, w)
		}
		out.WriteByte('\n')
		out.WriteString(joinColumns(charts, widths, h, " "))
	}
	p.cache = out.String()
	return p.cache
}

func windowSpec(w WindowData) chartSpec {
	title := w.Title
	if title == "" {
		title = w.Name
	}
	sub := w.Name
	if w.From != "" || w.Until != "" {
		sub += " from " + nonEmpty(w.From, "-1h") + " until " + nonEmpty(w.Until, "now")
	}
	if sub == title {
		sub = ""
	}
	return chartSpec{title: title, sub: sub, series: w.Series, start: w.Start, end: w.End, err: w.Err}
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// joinColumns puts blocks of exactly h lines side by side with sep between them.
func joinColumns(blocks []string, widths []int, h int, sep string) string {
	var b strings.Builder
	rest := make([]string, len(blocks))
	copy(rest, blocks)
	for l := 0; l < h; l++ {
		if l > 0 {
			b.WriteByte('\n')
		}
		for i := range rest {
			if i > 0 {
				b.WriteString(sep)
			}
			line := rest[i]
			if j := strings.IndexByte(line, '\n'); j >= 0 {
				line, rest[i] = line[:j], line[j+1:]
			} else {
				rest[i] = ""
			}
			if line == "" && widths[i] > 0 {
				line = strings.Repeat(" ", widths[i])
			}
			b.WriteString(line)
		}
	}
	return b.String()
}

// hostPane is the drill-down into one host: identity and ENC data, its counters as charts, and its talkers, URLs
// and memcache keys. It scrolls by line.
type hostPane struct {
	*Common
	snap    *model.Snapshot
	host    *model.HostRow
	gone    bool
	talkers *table
	urls    *table
	keys    *table
	lines   []string
	offset  int
	w, h    int
	cache   string
	dirty   bool
}

func newHostPane(c *Common) *hostPane {
	p := &hostPane{Common: c, dirty: true}
	p.talkers = newTable(c, "Talkers", talkerCols(byPair, c.Glyph.arrow), tBytes, true, true)
	p.talkers.empty = "no traffic seen for this host"
	p.urls = newTable(c, "URLs served", urlCols, uRate, true, true)
	p.urls.empty = "no HTTP requests seen"
	p.keys = newTable(c, "Memcache keys", keyCols, kRate, true, true)
	p.keys.empty = "no memcache operations seen"
	return p
}

// SetHost shows host id from snapshot s; a host that left the snapshot stays shown, marked gone.
func (p *hostPane) SetHost(s *model.Snapshot, id string, names map[string]string, arrow string) {
	var h *model.HostRow
	for i := range s.Hosts {
		if s.Hosts[i].ID == id {
			h = &s.Hosts[i]
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
	var talk []model.TalkerRow
	for _, t := range s.TalkersByPair {
		if (h.Name != "" && (t.SrcHost == h.Name || t.DstHost == h.Name)) ||
			(h.Agent.IsValid() && (t.Src == h.Agent || t.Dst == h.Agent)) {
			talk = append(talk, t)
		}
	}
	p.talkers.SetRows(talkerRows(talk, byPair, arrow))
	var urls []model.URLRow
	for _, u := range s.URLs {
		if u.Server == id {
			urls = append(urls, u)
		}
	}
	p.urls.SetRows(urlRows(urls, names))
	var keys []model.KeyRow
	for _, k := range s.Keys {
		if k.Server == id {
			keys = append(keys, k)
		}
	}
	p.keys.SetRows(keyRows(keys, names))
	p.dirty = true
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

func (p *hostPane) content() []string {
	st, g := p.St, p.Glyph
	h := p.host
	if h == nil {
		return []string{st.muted.str("host not found in the snapshot")}
	}
	field := func(k, v string, t paint) string {
		if v == "" {
			v = noValue
		}
		return st.muted.str(k+" ") + t.str(v)
	}
	var lines []string
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
	lines = append(lines,
		st.accent.str(name)+"  "+field("id", sanitize(h.ID), st.text)+"  "+field("agent", agent, st.text)+
			"  "+field("state", state, st.tones[stTone])+"  "+field("seen", seen, st.text),
		field("uuid", sanitize(h.UUID), st.text)+"  "+field("os", sanitize(h.OS), st.text)+"  "+
			field("parent", sanitize(h.Parent), st.text)+"  "+field("apps", sanitize(strings.Join(h.Apps, " ")), st.text),
		field("enc", sanitize(h.ENCStatus), st.tones[encTone(h.ENCStatus)])+"  "+
			field("environment", sanitize(h.Environment), st.accent)+"  "+
			field("classes", sanitize(strings.Join(h.Classes, ", ")), st.text),
		field("parameters", paramsText(h.Params), st.text),
		field("now", "cpu "+pct(h.CPU)+"  load "+si(h.Load1)+"  mem "+pct(h.MemUsedPct)+" of "+si(h.MemTotal)+"B"+
			"  disk "+pct(h.DiskUsedPct)+" read "+si(h.DiskRead)+"B/s write "+si(h.DiskWrite)+"B/s", st.text),
		field("    ", "net in "+si(h.NetIn)+"B/s out "+si(h.NetOut)+"B/s  http "+si(h.HTTPRate)+"/s 5xx "+pct(h.HTTP5xxPct)+
			"  memcache "+si(h.MemcacheOps)+"/s hit "+pct(h.MemcacheHit)+"  jvm heap "+si(h.JVMHeapUsed)+"B gc "+si(h.JVMGCRate)+"/s",
			st.text),
		"",
	)
	// Counter charts, in a grid.
	if len(h.Series) > 0 {
		cols := max(1, min(3, p.w/56))
		chartH := 9
		if p.Theme.Spacious {
			chartH = 12
		}
		colW := (p.w - (cols - 1)) / cols
		var start, end time.Time
		for r := 0; r*cols < len(h.Series); r++ {
			blocks := make([]string, 0, cols)
			widths := make([]int, 0, cols)
			for c := 0; c < cols; c++ {
				w := colW
				if c == cols-1 {
					w = p.w - (colW+1)*(cols-1)
				}
				i := r*cols + c
				if i >= len(h.Series) {
					blocks = append(blocks, block(nil, w, chartH))
				} else {
					s := h.Series[i]
					if p.snap != nil && p.snap.Step > 0 && len(s.Points) > 1 {
						end = p.snap.Time
						start = end.Add(-time.Duration(len(s.Points)-1) * p.snap.Step)
					}
					title := s.Name
					if s.Unit != "" {
						title += " (" + s.Unit + ")"
					}
					spec := chartSpec{title: title, series: []ChartSeries{{Name: s.Name, Points: s.Points}}, start: start, end: end}
					blocks = append(blocks, renderChart(p.Common, spec, w, chartH))
				}
				widths = append(widths, w)
			}
			lines = append(lines, strings.Split(joinColumns(blocks, widths, chartH, " "), "\n")...)
		}
		lines = append(lines, "")
	}
	// The host's talkers, URLs and keys: side by side when wide.
	tabs := []*table{p.talkers, p.urls, p.keys}
	tabH := 0
	for _, t := range tabs {
		tabH = max(tabH, min(len(t.rows)+2, 10))
	}
	tabH = max(tabH, 3)
	if p.w >= 150 {
		colW := (p.w - 2) / 3 // two one-cell rules between three tables
		blocks := make([]string, 3)
		widths := make([]int, 3)
		for i, t := range tabs {
			w := colW
			if i == 2 {
				w = p.w - 2*(colW+1)
			}
			t.SetSize(w, tabH)
			blocks[i], widths[i] = t.View(), w
		}
		lines = append(lines, strings.Split(joinColumns(blocks, widths, tabH, st.border.str(g.vbar)), "\n")...)
	} else {
		for _, t := range tabs {
			h := max(3, min(len(t.rows)+2, 10))
			t.SetSize(p.w, h)
			lines = append(lines, strings.Split(t.View(), "\n")...)
		}
	}
	return lines
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
