package ui

import (
	"hash/maphash"
	"math"
	"sort"
	"strconv"
	"strings"
)

// column describes one table column.
type column struct {
	title string
	width int  // cells for the value
	right bool // numbers are right-aligned
	flex  bool // grows into the remaining width
	spark bool // followed by a sparkline when there is room
	text  bool // sorts by its text rather than a number
	keep  int  // importance: the lowest goes first when the table is narrow
	grow  int  // cells the column may take beyond width when the table is wide, most important column first
	most  int  // a flexible column's widest (0: no limit); past it a wide table leaves the right edge blank
}

// row is one pre-formatted table row; nothing in it is computed at paint time.
type row struct {
	id     uint64 // identity across snapshots
	key    string // what Enter acts on (group name, host ID)
	cells  []string
	tones  []tone
	nums   []float64   // sort values per column (text columns sort by cells)
	sparks [][]float64 // history per column, nil when none
	search string      // lower-case text the filter matches
}

var rowSeed = maphash.MakeSeed()

// rowID hashes the parts of an entity's identity.
func rowID(parts ...string) uint64 {
	var h maphash.Hash
	h.SetSeed(rowSeed)
	for _, p := range parts {
		h.WriteString(p)
		h.WriteByte(0)
	}
	return h.Sum64()
}

// colLayout is a column as painted at the current width.
type colLayout struct {
	idx   int
	width int
	spark int // sparkline cells, 0 for none
}

// table is a sortable, filterable list of rows that keeps its order steady between snapshots.
type table struct {
	*Common
	title  string
	cols   []column
	ranked bool // hold order between snapshots (rank tables)

	rows []row
	view []int // indices into rows, filtered and ordered

	sortCol int
	desc    bool
	frozen  bool
	filter  string
	invert  bool
	prevPos map[uint64]int

	cursor   int
	offset   int
	selected uint64

	w, h     int
	focused  bool
	layout   []colLayout
	buf      []byte
	cache    string
	dirty    bool
	note     string // shown in the title line (e.g. "by source")
	window   string // the span the figures cover, last in the title line ("60 s to 12:00:05")
	empty    string // what an empty table says
	sparkMax int    // how wide sparklines may grow when the table is wide
	zoom     bool   // zoomed (zoom.go): the flexible column gives way before columns are dropped
}

func newTable(c *Common, title string, cols []column, sortCol int, desc, ranked bool) *table {
	return &table{
		Common: c, title: title, cols: cols, sortCol: sortCol, desc: desc, ranked: ranked,
		prevPos: map[uint64]int{}, dirty: true, empty: "no data yet", sparkMax: 24,
	}
}

// SetSize sets the cells the table paints into, title and header included.
func (t *table) SetSize(w, h int) {
	if t.w == w && t.h == h {
		return
	}
	t.w, t.h = w, h
	t.layout = nil
	t.dirty = true
}

// invalidate drops the layout and the painted view (the theme changed).
func (t *table) invalidate() {
	t.layout = nil
	t.dirty = true
}

// SetFocused marks the table as the one keys go to.
func (t *table) SetFocused(f bool) {
	if t.focused != f {
		t.focused = f
		t.dirty = true
	}
}

// SetRows replaces the rows (a new snapshot) and reorders them: sorted by the sort column, or, with the order
// frozen, in the order shown before with newcomers after.
func (t *table) SetRows(rows []row) {
	t.rows = rows
	t.reorder(false)
}

// reorder rebuilds the view. fresh drops the held order (the user asked for a new sort or filter).
func (t *table) reorder(fresh bool) {
	if fresh {
		clear(t.prevPos)
	}
	t.view = t.view[:0]
	f := t.filter
	for i := range t.rows {
		if f == "" || strings.Contains(t.rows[i].search, f) != t.invert {
			t.view = append(t.view, i)
		}
	}
	sort.SliceStable(t.view, func(a, b int) bool { return t.less(t.view[a], t.view[b]) })
	if t.frozen && len(t.prevPos) > 0 {
		t.keepOrder()
	}
	clear(t.prevPos)
	for pos, i := range t.view {
		t.prevPos[t.rows[i].id] = pos
	}
	t.restoreSelection()
	t.dirty = true
}

// keepOrder keeps entries at their previous places while the order is frozen (`o`); newcomers go after the
// known entries.
func (t *table) keepOrder() {
	type placed struct{ at, rank, i int }
	ps := make([]placed, len(t.view))
	n := len(t.prevPos)
	for rank, i := range t.view {
		at := rank
		if p, ok := t.prevPos[t.rows[i].id]; ok {
			at = p
		} else {
			at = n + rank
		}
		ps[rank] = placed{at, rank, i}
	}
	sort.Slice(ps, func(a, b int) bool {
		if ps[a].at != ps[b].at {
			return ps[a].at < ps[b].at
		}
		return ps[a].rank < ps[b].rank
	})
	for k, p := range ps {
		t.view[k] = p.i
	}
}

func (t *table) less(a, b int) bool {
	ra, rb := &t.rows[a], &t.rows[b]
	c := t.sortCol
	if t.cols[c].text {
		x, y := strings.ToLower(ra.cells[c]), strings.ToLower(rb.cells[c])
		if t.desc {
			return x > y
		}
		return x < y
	}
	x, y := ra.nums[c], rb.nums[c]
	if math.IsNaN(x) || math.IsNaN(y) {
		return !math.IsNaN(x) && math.IsNaN(y) // missing values last either way
	}
	if t.desc {
		return x > y
	}
	return x < y
}

func (t *table) restoreSelection() {
	for pos, i := range t.view {
		if t.rows[i].id == t.selected {
			t.cursor = pos
			return
		}
	}
	t.cursor = max(0, min(t.cursor, len(t.view)-1))
	if len(t.view) > 0 {
		t.selected = t.rows[t.view[t.cursor]].id
	}
}

// Selected is the row under the cursor, nil when the view is empty.
func (t *table) Selected() *row {
	if t.cursor < 0 || t.cursor >= len(t.view) {
		return nil
	}
	return &t.rows[t.view[t.cursor]]
}

// Move moves the cursor by delta rows, clamped.
func (t *table) Move(delta int) {
	if len(t.view) == 0 {
		return
	}
	c := max(0, min(len(t.view)-1, t.cursor+delta))
	if c != t.cursor {
		t.cursor = c
		t.selected = t.rows[t.view[c]].id
		t.dirty = true
	}
}

// Page is the number of rows shown at once.
func (t *table) Page() int {
	return max(1, t.bodyLines()/t.rowStride())
}

// NextSort sorts by the next column; ReverseSort flips the direction.
func (t *table) NextSort() {
	t.sortCol = (t.sortCol + 1) % len(t.cols)
	t.desc = !t.cols[t.sortCol].text
	t.reorder(true)
}

func (t *table) ReverseSort() {
	t.desc = !t.desc
	t.reorder(true)
}

// ToggleFrozen freezes or thaws the row order.
func (t *table) ToggleFrozen() {
	t.frozen = !t.frozen
	if !t.frozen {
		t.reorder(true) // thawing shows the current ranking at once
	}
	t.dirty = true
}

// SetFilter keeps the rows whose text contains f; a leading "!" keeps the others.
func (t *table) SetFilter(f string) {
	inv := strings.HasPrefix(f, "!")
	f = strings.ToLower(strings.TrimPrefix(f, "!"))
	if f == t.filter && inv == t.invert {
		return
	}
	t.filter, t.invert = f, inv && f != ""
	t.reorder(true)
}

// FilterText is the filter as typed.
func (t *table) FilterText() string {
	if t.invert {
		return "!" + t.filter
	}
	return t.filter
}

func (t *table) rowStride() int {
	if t.Theme.Spacious {
		return 2
	}
	return 1
}

func (t *table) bodyLines() int { return max(0, t.h-2) }

// computeLayout fits the columns into the width: sparklines go first, then the least important columns, then
// the flexible column shrinks.
func (t *table) computeLayout() {
	sparkW := 10
	if t.Theme.Spacious {
		sparkW = 12
	}
	lay := make([]colLayout, 0, len(t.cols))
	for i, c := range t.cols {
		cl := colLayout{idx: i, width: c.width}
		if c.spark {
			cl.spark = sparkW
		}
		lay = append(lay, cl)
	}
	total := func() int {
		n := len(lay) - 1
		for _, c := range lay {
			n += c.width
			if c.spark > 0 {
				n += c.spark + 1
			}
		}
		return n
	}
	if t.zoom {
		for i := range lay {
			if c := t.cols[lay[i].idx]; c.flex {
				lay[i].width = max(min(lay[i].width, zoomFlexMin), lay[i].width-max(0, total()-t.w))
			}
		}
	}
	for total() > t.w {
		victim, kind := -1, 0
		for i, c := range lay {
			if c.spark > 0 && (victim < 0 || kind != 1 || t.cols[c.idx].keep <= t.cols[lay[victim].idx].keep) {
				victim, kind = i, 1
			}
		}
		if victim >= 0 {
			lay[victim].spark = 0
			continue
		}
		for i, c := range lay {
			if !t.cols[c.idx].flex && len(lay) > 1 && (victim < 0 || t.cols[c.idx].keep <= t.cols[lay[victim].idx].keep) {
				victim = i
			}
		}
		if victim >= 0 && t.cols[lay[victim].idx].keep < 100 {
			lay = append(lay[:victim], lay[victim+1:]...)
			continue
		}
		// Only essential columns are left: shrink the flexible one, then give up (lines are cut at paint).
		shrunk := false
		for i := range lay {
			if t.cols[lay[i].idx].flex && lay[i].width > 4 {
				lay[i].width--
				shrunk = true
				break
			}
		}
		if !shrunk {
			break
		}
	}
	t.layout = lay
	t.spread(t.w - total())
}

// spread shares extra cells out: growing columns first (most important first), then the sparklines up to
// sparkMax, then the flexible column takes the rest. A wide table so shows more text and more history instead of
// a wide gap after the names.
func (t *table) spread(extra int) {
	if extra <= 0 {
		return
	}
	order := make([]int, len(t.layout))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return t.cols[t.layout[order[a]].idx].keep > t.cols[t.layout[order[b]].idx].keep })
	for _, i := range order {
		if g := min(extra, t.cols[t.layout[i].idx].grow); g > 0 {
			t.layout[i].width += g
			extra -= g
		}
	}
	var sparks []int
	for i, cl := range t.layout {
		if cl.spark > 0 {
			sparks = append(sparks, i)
		}
	}
	for len(sparks) > 0 && extra > 0 {
		grown := false
		for _, i := range sparks {
			if extra > 0 && t.layout[i].spark < t.sparkMax {
				t.layout[i].spark++
				extra--
				grown = true
			}
		}
		if !grown {
			break
		}
	}
	for i := range t.layout {
		if c := t.cols[t.layout[i].idx]; c.flex {
			// Names far from their figures are hard to read across a wide screen: stop at the column's most.
			if c.most > 0 {
				extra = min(extra, max(0, c.most-t.layout[i].width))
			}
			t.layout[i].width += extra
			return
		}
	}
}

// View paints the table: a title line, a header and the rows, exactly w×h cells.
func (t *table) View() string {
	if !t.dirty && t.cache != "" {
		return t.cache
	}
	t.dirty = false
	if t.w <= 0 || t.h <= 0 {
		t.cache = ""
		return ""
	}
	if t.layout == nil {
		t.computeLayout()
	}
	st, g := t.St, t.Glyph
	b := t.buf[:0]

	// Title line: name, note, filter, frozen, count, window.
	titlePaint := st.title
	if t.focused {
		titlePaint = st.titleFocus
	}
	info := t.note
	if t.filter != "" {
		info = joinNonEmpty(info, "filter "+t.FilterText())
	}
	if t.frozen {
		info = joinNonEmpty(info, "order frozen")
	}
	count := strconv.Itoa(len(t.view))
	if len(t.view) != len(t.rows) {
		count += "/" + strconv.Itoa(len(t.rows))
	}
	info = joinNonEmpty(joinNonEmpty(info, count), t.window)
	title := truncate(t.title, t.w, g.ellipsis)
	b = titlePaint.add(b, title)
	rest := t.w - textWidth(title)
	if rest > 2 {
		infoTxt := truncate(" "+info+" ", rest-1, g.ellipsis)
		b = st.muted.add(b, infoTxt)
		rest -= textWidth(infoTxt)
		b = st.border.add(b, strings.Repeat(g.rule, rest))
	} else {
		b = appendSpaces(b, rest)
	}
	lines := 1

	if t.h > 1 {
		b = append(b, '\n')
		lines++
		used := 0
		for k, cl := range t.layout {
			if k > 0 {
				b = append(b, ' ')
				used++
			}
			c := t.cols[cl.idx]
			name := c.title
			if cl.idx == t.sortCol {
				if t.desc {
					name += g.down
				} else {
					name += g.up
				}
			}
			w := cl.width
			if cl.spark > 0 {
				w += cl.spark + 1
			}
			w = min(w, t.w-used)
			p := st.header
			if cl.idx == t.sortCol {
				p = st.headerSort
			}
			if nw := max(cl.width, textWidth(name)); cl.spark > 0 && c.right && w > nw {
				// the name over the value, right-aligned like it, and a rule over the sparkline beside it: the
				// two read as one column, not the sparkline as the next column's
				b = p.add(b, fit(name, nw, true, g.ellipsis))
				b = append(b, ' ')
				b = st.border.add(b, strings.Repeat(g.rule, w-nw-1))
			} else {
				b = p.add(b, fit(name, w, c.right && cl.spark == 0, g.ellipsis))
			}
			used += w
		}
		b = appendSpaces(b, t.w-used)
	}

	body := t.bodyLines()
	stride := t.rowStride()
	visible := max(1, body/stride)
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+visible {
		t.offset = t.cursor - visible + 1
	}
	t.offset = max(0, min(t.offset, max(0, len(t.view)-visible)))
	if len(t.view) == 0 && t.h > 2 {
		b = append(b, '\n')
		lines++
		msg := t.empty
		if len(t.rows) > 0 {
			msg = "no rows match the filter"
		}
		b = st.muted.add(b, fit(" "+msg, t.w, false, g.ellipsis))
	}
	for k := t.offset; k < len(t.view) && lines < t.h; k++ {
		b = append(b, '\n')
		lines++
		b = t.appendRow(b, &t.rows[t.view[k]], t.focused && k == t.cursor)
		if stride == 2 && lines < t.h {
			b = append(b, '\n')
			lines++
			b = appendSpaces(b, t.w)
		}
	}
	for lines < t.h {
		b = append(b, '\n')
		lines++
		b = appendSpaces(b, t.w)
	}
	t.buf = b
	t.cache = string(b)
	return t.cache
}

// appendRow paints one row. Neighbouring cells of one paint share one run, the separating spaces included: the
// terminal renderer then sees one style across them and writes no escape between them when a value changes.
func (t *table) appendRow(b []byte, r *row, sel bool) []byte {
	st, g := t.St, t.Glyph
	used := 0
	var cur paint
	switchTo := func(p paint) {
		if sel || p == cur {
			return
		}
		b = append(b, cur.off...)
		b = append(b, p.on...)
		cur = p
	}
	if sel {
		b = append(b, st.selected.on...)
	}
	for k, cl := range t.layout {
		c := t.cols[cl.idx]
		w := min(cl.width, t.w-used-min(k, 1))
		if w <= 0 {
			break
		}
		p := st.tones[r.tones[cl.idx]]
		if k > 0 {
			if !c.right {
				switchTo(p) // the space belongs to the run of the cell it precedes when that cell starts with text
			}
			b = append(b, ' ')
			used++
		}
		switchTo(p)
		b = appendFit(b, r.cells[cl.idx], w, c.right, g.ellipsis)
		used += w
		if cl.spark > 0 && used+1+cl.spark <= t.w {
			switchTo(st.spark)
			b = append(b, ' ')
			used++
			var pts []float64
			if r.sparks != nil {
				pts = r.sparks[cl.idx]
			}
			b = appendSpark(b, pts, cl.spark, g)
			used += cl.spark
		}
	}
	b = appendSpaces(b, t.w-used)
	if sel {
		return append(b, st.selected.off...)
	}
	return append(b, cur.off...)
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + ", " + b
}
