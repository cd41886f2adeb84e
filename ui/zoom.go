package ui

import "strings"

// Zoom (`z`): the focused table of the overview alone over the main area, with all the columns the width takes
// (its flexible column gives way before any column is dropped): the URLs' status mix and latency, the talker
// pairs' destinations, the keys' command mix. `z` or Esc returns.

// zoomFlexMin is the narrowest a zoomed table's flexible column gets before columns are dropped.
const zoomFlexMin = 12

// toggleZoom zooms the focused table in or out; only a table of the overview zooms.
func (m *Model) toggleZoom() {
	if m.zoomed {
		m.setZoom(false)
		return
	}
	if m.level != levelOverview || m.focus == paneWindows || m.activeTable() == nil {
		m.setMessage("z zooms a table of the overview: Tab to one first", toneWarn)
		return
	}
	m.setZoom(true)
}

// setZoom zooms in or out, telling the tables that may be zoomed.
func (m *Model) setZoom(on bool) {
	m.zoomed = on
	for _, t := range m.zoomables() {
		if t.zoom != on {
			t.zoom = on
			t.invalidate()
		}
	}
}

// zoomables are the tables zoom applies to.
func (m *Model) zoomables() []*table {
	return append([]*table{m.groups, m.urls, m.keys}, m.talkers.tables[:]...)
}

// zoomView paints the zoomed table over w×h: a line naming it, then the table.
func (m *Model) zoomView(w, h int) string {
	st, g := m.c.St, m.c.Glyph
	line := st.accent.str("zoom") + st.border.str(g.crumb) + st.text.str(paneNames[m.focus])
	back := st.muted.str("z or esc back")
	if lw := textWidthStyled(line); lw+16 < w {
		line += strings.Repeat(" ", w-lw-13) + back
	}
	line = fitStyled(line, w)
	if h == 1 {
		return line
	}
	return line + "\n" + m.pane(m.focus, w, h-1)
}
