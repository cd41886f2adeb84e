package ui

import (
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// layoutKind is how the overview is arranged for the terminal size.
type layoutKind int

const (
	layoutTooSmall layoutKind = iota
	layoutTabs                // one pane at a time with a tab bar (≥ 60×20; meant for 80×24)
	layoutTwoCol              // groups over two columns (≥ 100×30)
	layoutFull                // every pane at once (≥ 160×48)
)

func (m *Model) layoutKind() layoutKind {
	if m.w < minWidth || m.h < minHeight {
		return layoutTooSmall
	}
	fullW, fullH, twoW, twoH := 160, 48, 100, 30
	if m.c.Theme.Spacious {
		// The booth layout shows fewer, larger panes for people reading from a distance.
		fullW, fullH, twoW, twoH = 240, 70, 160, 48
	}
	switch {
	case m.w >= fullW && m.h >= fullH:
		return layoutFull
	case m.w >= twoW && m.h >= twoH:
		return layoutTwoCol
	}
	return layoutTabs
}

// compose builds the whole frame from the panes' cached strings. It runs in Update, never in View.
func (m *Model) compose() {
	m.dirty = false
	frame := m.composeFrame()
	m.framesBuilt++
	m.frameMu.Lock()
	m.frame = frame
	m.frameMu.Unlock()
}

func (m *Model) composeFrame() string {
	m.hits = m.hits[:0]
	if !m.sized || m.w <= 0 || m.h <= 0 {
		return ""
	}
	w, h := m.w, m.h
	kind := m.layoutKind()
	if kind == layoutTooSmall {
		return m.tooSmall()
	}
	var b strings.Builder
	b.Grow(w * h * 4) // styled cells take several bytes each
	b.WriteString(m.statusLine(w))
	mainH := h - 2
	m.mainTop = 1
	if m.opt.Banner != nil {
		// the banner has a line of its own for as long as there is a Banner, so that nothing moves when it changes
		b.WriteByte('\n')
		b.WriteString(m.bannerLine(w))
		mainH--
		m.mainTop++
	}
	hint := ""
	if m.prompt == commandPrompt && m.hint != "" {
		hint = fitStyled(m.c.St.muted.str(" "+truncate(m.hint, w-1, m.c.Glyph.ellipsis)), w)
		mainH--
	}
	b.WriteByte('\n')
	b.WriteString(m.mainArea(kind, w, mainH))
	if hint != "" {
		b.WriteByte('\n')
		b.WriteString(hint)
	}
	b.WriteByte('\n')
	b.WriteString(m.footer(w))
	return b.String()
}

func (m *Model) statusLine(w int) string {
	in := statusInput{snap: m.snap, render: m.renderDur, badges: m.badges(), gone: len(m.gone)}
	in.event, in.eventTone = eventStatus(m.evlog, m.c.Glyph)
	if m.snap != nil {
		in.groupBy = m.snap.GroupBy
	}
	return renderStatus(m.c, in, w)
}

func (m *Model) tooSmall() string {
	x := "×"
	if m.c.Glyph.ascii {
		x = "x"
	}
	need := "fleettop needs " + strconv.Itoa(minWidth) + x + strconv.Itoa(minHeight) + ", have " +
		strconv.Itoa(m.w) + x + strconv.Itoa(m.h)
	lines := []string{m.c.St.bad.str(truncate(need, m.w, m.c.Glyph.ellipsis)), ""}
	for _, l := range healthLines(m.snap) {
		lines = append(lines, m.c.St.text.str(truncate(l, m.w, m.c.Glyph.ellipsis)))
	}
	if m.paused {
		lines = append(lines, m.c.St.badge.str(truncate("PAUSED", m.w, "")))
	}
	return block(lines, m.w, m.h)
}

// setFocus tells every pane whether it has the keys.
func (m *Model) setFocus() {
	ov := m.level == levelOverview && m.overlay == noOverlay
	m.groups.SetFocused(ov && m.focus == paneGroups)
	m.talkers.SetFocused(ov && m.focus == paneTalkers)
	m.urls.SetFocused(ov && m.focus == paneURLs)
	m.keys.SetFocused(ov && m.focus == paneKeys)
	m.windows.SetFocused(ov && m.focus == paneWindows)
	m.hosts.SetFocused(m.level == levelHosts && m.overlay == noOverlay)
	m.agents.SetFocused(m.level == levelAgents && m.overlay == noOverlay)
	m.eventsT.SetFocused(m.level == levelEvents && m.overlay == noOverlay)
	for _, t := range []*table{m.jvmGroups, m.jvmHosts, m.devices, m.ifaces} {
		t.SetFocused(t == m.kindTable() && m.overlay == noOverlay)
	}
}

func (m *Model) mainArea(kind layoutKind, w, h int) string {
	if h <= 0 {
		return ""
	}
	m.setFocus()
	switch m.overlay {
	case helpOverlay:
		return m.helpView(w, h)
	case pickerOverlay:
		return m.pickerView(w, h)
	case outputOverlay:
		return m.outputView(w, h)
	case chartOverlay:
		return m.chartView(w, h)
	}
	if m.level != levelOverview {
		crumb := m.breadcrumb(w)
		if h == 1 {
			return crumb
		}
		switch m.level {
		case levelHosts:
			m.hit(noPane, m.hosts, 0, 1, w, h-1)
			return crumb + "\n" + m.hostsPage(w, h-1)
		case levelAgents:
			m.hit(noPane, m.agents, 0, 1, w, h-1)
			m.agents.SetSize(w, h-1)
			return crumb + "\n" + m.agents.View()
		case levelEvents:
			m.eventsT.SetSize(w, h-1)
			return crumb + "\n" + m.eventsT.View()
		}
		if t := m.kindTable(); t != nil {
			t.SetSize(w, h-1)
			return crumb + "\n" + t.View()
		}
		m.host.SetSize(w, h-1)
		return crumb + "\n" + m.host.View()
	}
	if m.nothingReceived() {
		return m.emptyState(w, h)
	}
	if m.zoomed {
		return m.zoomView(w, h)
	}
	if m.kiosk && m.kioskAt.pane != paneGroups {
		// Unattended, every stop but the overview fills the screen: on a booth wall a pane the cycle merely
		// focuses would look as if nothing happened.
		return m.tabsLayout(w, h)
	}
	switch kind {
	case layoutFull:
		return m.fullLayout(w, h)
	case layoutTwoCol:
		return m.twoColLayout(w, h)
	}
	return m.tabsLayout(w, h)
}

// pane sizes a pane and returns its view.
func (m *Model) pane(id paneID, w, h int) string {
	switch id {
	case paneGroups:
		m.groups.SetSize(w, h)
		return m.groups.View()
	case paneTalkers:
		m.talkers.SetSize(w, h)
		return m.talkers.View()
	case paneURLs:
		m.urls.SetSize(w, h)
		return m.urls.View()
	case paneKeys:
		m.keys.SetSize(w, h)
		return m.keys.View()
	}
	m.windows.SetSize(w, h)
	return m.windows.View()
}

func (m *Model) tabsLayout(w, h int) string {
	var bar strings.Builder
	used := 0
	for id := paneGroups; id < paneCount; id++ {
		label := " " + paneNames[id] + " "
		if id == paneWindows && len(m.windows.windows) > 0 {
			label = " " + paneNames[id] + " " + strconv.Itoa(len(m.windows.windows)) + " "
		}
		if used+textWidth(label) > w {
			break
		}
		m.hit(id, nil, used, 0, textWidth(label), 1)
		if id == m.focus {
			bar.WriteString(m.c.St.selected.str(label))
		} else {
			bar.WriteString(m.c.St.muted.str(label))
		}
		used += textWidth(label)
	}
	line := fitStyled(bar.String(), w)
	if h == 1 {
		return line
	}
	// A handful of groups leaves most of the screen empty: the top talkers fill it, unfocused, until Tab.
	if m.focus == paneGroups {
		if gh := len(m.groups.view)*m.groups.rowStride() + 2; h-1-gh >= 8 {
			gh = max(gh, 5)
			m.hit(paneGroups, m.groups, 0, 1, w, gh)
			m.hit(paneTalkers, m.talkers.active(), 0, 1+gh, w, h-1-gh)
			return line + "\n" + m.pane(paneGroups, w, gh) + "\n" + m.pane(paneTalkers, w, h-1-gh)
		}
	}
	m.hit(m.focus, m.activeTable(), 0, 1, w, h-1)
	return line + "\n" + m.pane(m.focus, w, h-1)
}

// groupsHeight gives the groups table the rows it needs, within [5, share of h].
func (m *Model) groupsHeight(h int, share float64) int {
	need := len(m.groups.rows)*m.groups.rowStride() + 2
	return max(5, min(need, int(float64(h)*share)))
}

func (m *Model) fullLayout(w, h int) string {
	hasWin := len(m.windows.windows) > 0
	share := 0.4
	if hasWin {
		share = 0.3
	}
	gh := m.groupsHeight(h, share)
	rest := h - gh
	th, wh := rest, 0
	if hasWin {
		th = rest / 2
		wh = rest - th
	}
	colW := (w - 2) / 3
	lastW := w - 2*(colW+1)
	m.hit(paneGroups, m.groups, 0, 0, w, gh)
	m.hit(paneTalkers, m.talkers.active(), 0, gh, colW, th)
	m.hit(paneURLs, m.urls, colW+1, gh, colW, th)
	m.hit(paneKeys, m.keys, 2*(colW+1), gh, lastW, th)
	m.hit(paneWindows, nil, 0, gh+th, w, wh)
	rule := m.c.St.border.str(m.c.Glyph.vbar)
	cols := joinColumns(
		[]string{m.pane(paneTalkers, colW, th), m.pane(paneURLs, colW, th), m.pane(paneKeys, lastW, th)},
		[]int{colW, colW, lastW}, th, rule)
	out := m.pane(paneGroups, w, gh) + "\n" + cols
	if hasWin {
		out += "\n" + m.pane(paneWindows, w, wh)
	}
	return out
}

func (m *Model) twoColLayout(w, h int) string {
	gh := m.groupsHeight(h, 0.4)
	rest := h - gh
	leftW := (w - 1) / 2
	rightW := w - 1 - leftW
	rule := m.c.St.border.str(m.c.Glyph.vbar)
	var left, right string
	if len(m.windows.windows) > 0 {
		ranked := paneTalkers
		if m.focus == paneURLs || m.focus == paneKeys {
			ranked = m.focus
		}
		m.hit(ranked, m.rankedTable(ranked), 0, gh, leftW, rest)
		m.hit(paneWindows, nil, leftW+1, gh, rightW, rest)
		left = m.pane(ranked, leftW, rest)
		right = m.pane(paneWindows, rightW, rest)
	} else {
		uh := rest / 2
		m.hit(paneTalkers, m.talkers.active(), 0, gh, leftW, rest)
		m.hit(paneURLs, m.urls, leftW+1, gh, rightW, uh)
		m.hit(paneKeys, m.keys, leftW+1, gh+uh, rightW, rest-uh)
		left = m.pane(paneTalkers, leftW, rest)
		right = m.pane(paneURLs, rightW, uh) + "\n" + m.pane(paneKeys, rightW, rest-uh)
	}
	m.hit(paneGroups, m.groups, 0, 0, w, gh)
	return m.pane(paneGroups, w, gh) + "\n" + joinColumns([]string{left, right}, []int{leftW, rightW}, rest, rule)
}

func (m *Model) breadcrumb(w int) string {
	st, g := m.c.St, m.c.Glyph
	by := "groups"
	if m.snap != nil && m.snap.GroupBy != "" {
		by = "groups by " + sanitize(m.snap.GroupBy)
	}
	parts := []string{st.muted.str(by)}
	group := sanitize(m.drillGroup)
	if kp, ok := m.kindCrumb(); ok {
		parts = kp
	}
	switch m.level {
	case levelAgents:
		parts = []string{st.accent.str("sFlow agents (" + strconv.Itoa(len(m.agents.rows)) + ")")}
		if m.snap != nil {
			h := &m.snap.Health
			parts = append(parts, st.muted.str("lost "+counter(h.Lost)+", duplicates "+counter(h.Duplicates)+
				", restarts "+counter(h.Restarts)+", sample drops "+counter(h.SampleDrops)+", lost samples "+
				counter(h.LostSamples)))
		}
	case levelEvents:
		parts = []string{st.accent.str(m.eventsCrumb())}
	case levelHosts:
		group += " (" + strconv.Itoa(len(m.hosts.rows)) + " hosts)"
		parts = append(parts, st.accent.str(group))
	case levelJVM, levelJVMHosts, levelDevices, levelDevice:
	default:
		parts = append(parts, st.text.str(group))
		name := m.drillHost
		if m.host.host != nil && m.host.host.ID == m.drillHost && m.host.host.Name != "" {
			name = m.host.host.Name
		}
		parts = append(parts, st.accent.str(sanitize(name)))
	}
	line := strings.Join(parts, st.border.str(g.crumb))
	back := st.muted.str("esc back")
	if lw := textWidthStyled(line); lw+10 < w {
		line += strings.Repeat(" ", w-lw-8) + back
	}
	return fitStyled(line, w)
}

func textWidthStyled(s string) int { return textWidth(stripANSI(s)) }

// helpView lists the active key bindings in titled columns, as many side by side as the width takes.
func (m *Model) helpView(w, h int) string {
	st := m.c.St
	hk := m.helpKeys()
	var cols [][]string
	var widths []int
	for i, group := range hk.full {
		var keys []key.Binding
		kw := 0
		for _, b := range group {
			if b.Enabled() {
				keys = append(keys, b)
				kw = max(kw, textWidth(b.Help().Key))
			}
		}
		if len(keys) == 0 {
			continue
		}
		title := ""
		if i < len(hk.titles) {
			title = hk.titles[i]
		}
		col := []string{st.header.str(title)}
		cw := textWidth(title)
		for _, b := range keys {
			k, d := b.Help().Key, b.Help().Desc
			col = append(col, st.key.str(fit(k, kw, false, ""))+" "+st.text.str(d))
			cw = max(cw, kw+1+textWidth(d))
		}
		cols = append(cols, col)
		widths = append(widths, cw)
	}
	lines := []string{st.titleFocus.str("Keys") + st.muted.str("  active here; esc or ? closes"), ""}
	// Groups stack in a column while they fit the height under the title (a blank line between two), so a small
	// terminal shows them all side by side; then bands of as many columns as fit side by side.
	cols, widths = stackColumns(cols, widths, h-len(lines))
	const gap = 4
	for first := 0; first < len(cols); {
		end, used := first+1, widths[first]
		for end < len(cols) && used+gap+widths[end] <= w {
			used += gap + widths[end]
			end++
		}
		if first > 0 {
			lines = append(lines, "")
		}
		rows := 0
		for _, c := range cols[first:end] {
			rows = max(rows, len(c))
		}
		for r := 0; r < rows; r++ {
			var b strings.Builder
			for i := first; i < end; i++ {
				cell := ""
				if r < len(cols[i]) {
					cell = cols[i][r]
				}
				if i > first {
					b.WriteString(strings.Repeat(" ", gap))
				}
				b.WriteString(fitStyled(cell, widths[i]))
			}
			lines = append(lines, b.String())
		}
		first = end
	}
	return block(lines, w, h)
}

// stackColumns puts each column under the one before it, after a blank line, while the two fit in height rows.
func stackColumns(cols [][]string, widths []int, height int) ([][]string, []int) {
	var out [][]string
	var ws []int
	for i, c := range cols {
		if n := len(out); n > 0 && len(out[n-1])+1+len(c) <= height {
			out[n-1] = append(append(out[n-1], ""), c...)
			ws[n-1] = max(ws[n-1], widths[i])
			continue
		}
		out = append(out, slices.Clone(c))
		ws = append(ws, widths[i])
	}
	return out, ws
}

func (m *Model) pickerView(w, h int) string {
	st, g := m.c.St, m.c.Glyph
	lines := []string{st.titleFocus.str("Group hosts by") + st.muted.str("  ↑/↓ choose, enter applies, esc cancels"), ""}
	if g.ascii {
		lines[0] = st.titleFocus.str("Group hosts by") + st.muted.str("  up/down choose, enter applies, esc cancels")
	}
	fields := m.snap.Fields
	first := max(0, m.pickCursor-(h-3))
	for i := first; i < len(fields) && len(lines) < h; i++ {
		label := "  " + sanitize(fields[i])
		if fields[i] == m.snap.GroupBy {
			label += " (current)"
		}
		label = fit(label, min(w, 40), false, g.ellipsis)
		if i == m.pickCursor {
			lines = append(lines, st.selected.str(label))
		} else {
			lines = append(lines, st.text.str(label))
		}
	}
	return block(lines, w, h)
}

func (m *Model) outputView(w, h int) string {
	st, g := m.c.St, m.c.Glyph
	body := max(0, h-1)
	m.outputTop = max(0, min(m.outputTop, len(m.output)-body))
	head := st.titleFocus.str("Output")
	if len(m.output) > body {
		end := min(len(m.output), m.outputTop+body)
		head += st.muted.str("  lines " + strconv.Itoa(m.outputTop+1) + "-" + strconv.Itoa(end) + " of " +
			strconv.Itoa(len(m.output)) + "; up/down, pgup/pgdn scroll; esc closes")
	} else {
		head += st.muted.str("  esc closes")
	}
	lines := []string{head}
	for _, l := range m.output[m.outputTop:] {
		if len(lines) >= h {
			break
		}
		lines = append(lines, st.text.str(truncate(sanitize(l), w, g.ellipsis)))
	}
	return block(lines, w, h)
}

// scrollOutput moves the command output by a navigation key; false for any other key.
func (m *Model) scrollOutput(k tea.KeyPressMsg) bool {
	tk := &m.c.Keys.Table
	page := max(1, m.h-4)
	switch {
	case key.Matches(k, tk.Up):
		m.outputTop--
	case key.Matches(k, tk.Down):
		m.outputTop++
	case key.Matches(k, tk.PageUp):
		m.outputTop -= page
	case key.Matches(k, tk.PageDown), k.String() == "space":
		m.outputTop += page
	case key.Matches(k, tk.Top):
		m.outputTop = 0
	case key.Matches(k, tk.Bottom):
		m.outputTop = len(m.output)
	default:
		return false
	}
	m.outputTop = max(0, min(m.outputTop, len(m.output)-1))
	return true
}

func (m *Model) footer(w int) string {
	if m.prompt != noPrompt {
		m.input.SetWidth(max(1, w-2))
		return fitStyled(m.input.View(), w)
	}
	if m.msg != "" {
		return fitStyled(m.c.St.tones[m.msgTone].str(truncate(m.msg, w, m.c.Glyph.ellipsis)), w)
	}
	if m.kiosk {
		return fitStyled(m.c.St.muted.str(truncate("kiosk: a new pane every "+m.opt.Kiosk.String()+"; press any key to take the controls", w, m.c.Glyph.ellipsis)), w)
	}
	// The short help is a lipgloss render: keep it until the context or the width changes.
	k := footerKey{w: w, level: m.level, focus: m.focus, table: m.activeTable() != nil, paused: m.paused,
		rewound: m.rewound()}
	if k != m.footerKey || m.footerCache == "" {
		m.help.SetWidth(w)
		m.footerKey, m.footerCache = k, fitStyled(m.help.ShortHelpView(m.helpKeys().short), w)
	}
	return m.footerCache
}

// footerKey is what the short help depends on.
type footerKey struct {
	w, level int
	focus    paneID
	table    bool
	paused   bool // the rewind keys show when paused
	rewound  bool
}
