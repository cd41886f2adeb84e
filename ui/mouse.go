package ui

import tea "charm.land/bubbletea/v2"

// noPane marks a click target that is no overview pane (the hosts and agents tables): a click there selects a
// row without moving the overview's focus.
const noPane = paneCount

// paneHit is where the last frame drew a pane, for mouse clicks; t is the table drawn there, nil for none.
type paneHit struct {
	pane       paneID
	t          *table
	x, y, w, h int
}

// hit records that pane id (showing t) was drawn at x, y (y counted from the main area's top) in w × h cells.
func (m *Model) hit(id paneID, t *table, x, y, w, h int) {
	m.hits = append(m.hits, paneHit{pane: id, t: t, x: x, y: m.mainTop + y, w: w, h: h})
}

// onClick focuses the pane clicked and, in a table, selects the row clicked (its title and header are the
// first two lines).
func (m *Model) onClick(c tea.MouseClickMsg) {
	if c.Button != tea.MouseLeft || m.prompt != noPrompt || m.overlay != noOverlay {
		return
	}
	m.dirty = true
	if m.kiosk {
		m.kiosk = false
		m.setMessage("kiosk mode off: you have the controls", toneAccent)
		return
	}
	for _, h := range m.hits {
		if c.X < h.x || c.X >= h.x+h.w || c.Y < h.y || c.Y >= h.y+h.h {
			continue
		}
		if h.pane != noPane && m.level == levelOverview {
			m.focus = h.pane
		}
		if h.t == nil {
			return
		}
		if row := c.Y - h.y - 2; row >= 0 {
			if i := h.t.offset + row/h.t.rowStride(); i < len(h.t.view) {
				h.t.Move(i - h.t.cursor)
			}
		}
		return
	}
}

// rankedTable is the table of a ranked pane (talkers, URLs, keys).
func (m *Model) rankedTable(id paneID) *table {
	switch id {
	case paneURLs:
		return m.urls
	case paneKeys:
		return m.keys
	}
	return m.talkers.active()
}
