package ui

import (
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
	for _, t := range p.tables {
		t.window = windowNote(s)
	}
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
	version uint64 // of the drawing shown
	polled  bool
	first   int // the first window shown (scrolling by window)
	w, h    int
	focused bool
	cache   string
	dirty   bool
}

// SetWindows takes the windows as last drawn; it reports whether they are a new drawing.
func (p *windowsPane) SetWindows(ws *Windows) bool {
	if p.polled && ws.Version == p.version {
		return false
	}
	p.windows, p.version, p.polled, p.dirty = ws.List, ws.Version, true, true
	if p.first >= len(p.windows) {
		p.first = max(0, len(p.windows)-1)
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

// NextPage shows the windows after the ones shown; false when the last are shown (nothing moves then).
func (p *windowsPane) NextPage() bool {
	cols, rows := p.grid()
	next := p.first + cols*rows
	if next >= len(p.windows) {
		return false
	}
	p.first, p.dirty = next, true
	return true
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
		lines := []string{
			st.muted.str(" no windows yet"),
			"",
			st.key.str(" :draw TARGET in NAME") + st.muted.str("  charts a metric (Tab completes paths; :find REGEX lists them)"),
			st.key.str(" :load VIEW          ") + st.muted.str("  brings back saved windows (1-9 load the first nine)"),
			st.key.str(" :help               ") + st.muted.str("  every verb"),
		}
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
	series, start := trimLeadingNulls(w.Series, w.Start, w.End)
	if !start.Equal(w.Start) {
		sub += " (data since " + start.Format("15:04") + ")"
	}
	return chartSpec{title: title, sub: strings.TrimSpace(sub), series: series, start: start, end: w.End, err: w.Err,
		loading: w.Loading}
}

// trimLeadingNulls drops the points before the first one any series has, so a day-long range over a fleettop
// started ten minutes ago plots those ten minutes rather than a dot at the right edge. start moves with them.
func trimLeadingNulls(series []ChartSeries, start, end time.Time) ([]ChartSeries, time.Time) {
	n, first := 0, -1
	for _, s := range series {
		n = max(n, len(s.Points))
	}
	for i := 0; i < n && first < 0; i++ {
		for _, s := range series {
			if i < len(s.Points) && !math.IsNaN(s.Points[i]) {
				first = i
				break
			}
		}
	}
	// Keep two points at least (a line needs them); keep everything when the series are not aligned.
	first = min(first, n-2)
	if first <= 0 {
		return series, start
	}
	out := make([]ChartSeries, len(series))
	for i, s := range series {
		if len(s.Points) != n {
			return series, start
		}
		out[i] = ChartSeries{Name: s.Name, Points: s.Points[first:]}
	}
	if !start.IsZero() && end.After(start) && n > 1 {
		start = start.Add(time.Duration(float64(end.Sub(start)) * float64(first) / float64(n-1)))
	}
	return out, start
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
