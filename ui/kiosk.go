package ui

// The kiosk: the stops an unattended dashboard cycles through.

// kioskStops are the stops of the kiosk cycle: every ranked pane, then every saved view, or, with none saved, the
// windows drawn so far.
func (m *Model) kioskStops() []kioskStop {
	stops := []kioskStop{{pane: paneGroups}, {pane: paneTalkers}, {pane: paneURLs}, {pane: paneKeys}}
	var views []string
	if m.cl != nil {
		views = m.cl.Views()
	}
	for _, v := range views {
		stops = append(stops, kioskStop{pane: paneWindows, view: v})
	}
	if len(views) == 0 && len(m.windows.windows) > 0 {
		stops = append(stops, kioskStop{pane: paneWindows})
	}
	return stops
}

// kioskAdvance shows the next page of windows, or else the next stop of the cycle. The stops are found again on
// every turn, so a view saved or removed meanwhile joins or leaves the cycle without a stop being skipped.
func (m *Model) kioskAdvance() {
	m.level = levelOverview
	m.overlay = noOverlay
	m.dirty = true
	if m.kioskAt.pane == paneWindows && m.focus == paneWindows && m.windows.NextPage() {
		return
	}
	stops := m.kioskStops()
	next := 0
	for i, st := range stops {
		if st == m.kioskAt {
			next = (i + 1) % len(stops)
			break
		}
	}
	m.kioskAt = stops[next]
	m.focus = m.kioskAt.pane
	if m.kioskAt.view != "" {
		if _, err := m.cl.Run("load " + m.kioskAt.view); err != nil {
			m.setMessage(err.Error(), toneBad)
		}
		m.pollWindows()
	}
	m.windows.Scroll(-len(m.windows.windows))
}
