package ui

import (
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// The dashboard's keyboard: what each key does at each level (the bindings are in keys.go).

func (m *Model) onKey(k tea.KeyPressMsg) tea.Cmd {
	keys := m.c.Keys
	if k.String() == "ctrl+c" {
		return tea.Quit
	}
	m.dirty = true
	if m.kiosk {
		m.kiosk = false
		m.setMessage("kiosk mode off: you have the controls", toneAccent)
		return nil
	}
	if m.prompt != noPrompt {
		return m.onPromptKey(k)
	}
	switch m.overlay {
	case helpOverlay:
		if key.Matches(k, keys.Global.Help, keys.Global.Back, keys.Global.Quit) {
			m.overlay = noOverlay
		}
		return nil
	case outputOverlay, chartOverlay:
		if m.overlay == outputOverlay && m.scrollOutput(k) {
			return nil
		}
		m.overlay = noOverlay
		// esc, q and enter only close; any other key closes and does its usual job (":" opens the command line)
		if key.Matches(k, keys.Global.Back, keys.Global.Quit, keys.Prompt.Accept) {
			return nil
		}
	case pickerOverlay:
		return m.onPickerKey(k)
	}
	if ok, cmd := m.onRewindKey(k); ok {
		return cmd
	}
	g, tk := &keys.Global, &keys.Table
	switch {
	case key.Matches(k, g.Quit):
		return tea.Quit
	case key.Matches(k, g.Help):
		m.overlay = helpOverlay
	case key.Matches(k, g.Command):
		return m.openCommand()
	case key.Matches(k, g.Filter):
		return m.openFilter()
	case key.Matches(k, g.NextPane):
		if m.level == levelOverview {
			m.cycleFocus(1)
		}
	case key.Matches(k, g.PrevPane):
		if m.level == levelOverview {
			m.cycleFocus(-1)
		}
	case key.Matches(k, g.GroupBy):
		m.openPicker()
	case key.Matches(k, g.Pause):
		m.togglePause()
	case key.Matches(k, g.Views):
		m.loadView(int(k.Code - '0'))
	case key.Matches(k, g.Snapshot):
		m.saveSnapshot()
	case key.Matches(k, g.Copy):
		return m.copyScreen()
	case key.Matches(k, g.ClearGone):
		m.clearGone()
	case key.Matches(k, g.Redraw):
		return tea.ClearScreen
	case key.Matches(k, g.Back):
		m.back()
	case key.Matches(k, g.Agents):
		m.showAgents()
	case key.Matches(k, g.Events):
		m.showEvents()
	case key.Matches(k, g.JVMs):
		m.showJVMs()
	case key.Matches(k, g.Devices):
		m.showDevices()
	case key.Matches(k, g.Zoom):
		m.toggleZoom()
	case key.Matches(k, tk.Drill):
		m.drillDown()
	case key.Matches(k, tk.TalkerMode) && m.level == levelOverview && m.focus == paneTalkers:
		m.talkers.NextMode()
	default:
		m.onNavKey(k)
	}
	return nil
}

func (m *Model) onNavKey(k tea.KeyPressMsg) {
	tk := &m.c.Keys.Table
	if m.level == levelHost || (m.level == levelOverview && m.focus == paneWindows) {
		scroll := m.host.Scroll
		page := m.host.Page()
		if m.level != levelHost {
			scroll, page = m.windows.Scroll, 1
		}
		switch {
		case key.Matches(k, tk.Up):
			scroll(-1)
		case key.Matches(k, tk.Down):
			scroll(1)
		case key.Matches(k, tk.PageUp):
			scroll(-page)
		case key.Matches(k, tk.PageDown):
			scroll(page)
		case key.Matches(k, tk.Top):
			scroll(-1 << 20)
		case key.Matches(k, tk.Bottom):
			scroll(1 << 20)
		}
		return
	}
	t := m.activeTable()
	if t == nil {
		return
	}
	switch {
	case key.Matches(k, tk.Up):
		t.Move(-1)
	case key.Matches(k, tk.Down):
		t.Move(1)
	case key.Matches(k, tk.PageUp):
		t.Move(-t.Page())
	case key.Matches(k, tk.PageDown):
		t.Move(t.Page())
	case key.Matches(k, tk.Top):
		t.Move(-len(t.view))
	case key.Matches(k, tk.Bottom):
		t.Move(len(t.view))
	case key.Matches(k, tk.Sort):
		t.NextSort()
	case key.Matches(k, tk.SortReverse):
		t.ReverseSort()
	case key.Matches(k, tk.FreezeOrder):
		t.ToggleFrozen()
		if t.frozen {
			m.setMessage("row order frozen (o to thaw)", toneAccent)
		} else {
			m.setMessage("row order follows the ranking again", toneAccent)
		}
	}
}

func (m *Model) togglePause() {
	m.paused = !m.paused
	if m.paused {
		m.pausedAt = m.c.Now()
		return
	}
	m.pull() // show the newest snapshot at once on resume
}

func (m *Model) back() {
	if t := m.activeTable(); t != nil && t.filter != "" {
		t.SetFilter("")
		return
	}
	if m.zoomed && m.level == levelOverview {
		m.setZoom(false)
		return
	}
	if m.kindBack() {
		return
	}
	switch m.level {
	case levelHost:
		m.level = levelHosts
		if m.snap != nil {
			m.hosts.SetRows(m.hostRowsOf(m.drillGroup))
		}
	case levelHosts, levelAgents, levelEvents:
		m.level = levelOverview
	}
}

// showAgents opens the Agents pane.
func (m *Model) showAgents() {
	m.level = levelAgents
	if m.snap != nil {
		m.agents.SetRows(agentRows(m.snap))
	}
}

func (m *Model) drillDown() {
	if m.snap == nil || m.kindDrill() {
		return
	}
	switch m.level {
	case levelOverview:
		switch m.focus {
		case paneGroups:
			r := m.groups.Selected()
			if r == nil {
				return
			}
			m.drillGroup = r.key
			m.level = levelHosts
			m.hosts.selected, m.hosts.cursor, m.hosts.offset = 0, 0, 0
			m.hosts.SetFilter("")
			m.hosts.SetRows(m.hostRowsOf(m.drillGroup))
		case paneURLs, paneKeys:
			t := m.urls
			if m.focus == paneKeys {
				t = m.keys
			}
			if r := t.Selected(); r != nil && r.key != "" {
				m.drillToHost(r.key)
			}
		}
	case levelHosts:
		if r := m.hosts.Selected(); r != nil {
			m.drillToHost(r.key)
		}
	case levelEvents:
		if r := m.eventsT.Selected(); r != nil && r.key != "" {
			m.drillGroup, m.level = r.key, levelHosts
			m.hosts.SetFilter("")
			m.hosts.SetRows(hostRows(m.snap, m.drillGroup))
			m.markAlerts()
		}
	}
}

func (m *Model) drillToHost(id string) {
	for i := range m.snap.Hosts {
		h := m.snap.Hosts[i]
		if h.ID == id {
			m.drillGroup, m.drillHost, m.level, m.hostFrom = h.Group, id, levelHost, 0
			m.host.SetHost(m.snap, id, m.names, m.c.Glyph.arrow)
			return
		}
	}
	if g, ok := m.gone[id]; ok {
		m.drillGroup, m.drillHost, m.level = g.row.Group, id, levelHost
		m.host.setGone(m.snap, g.row)
		return
	}
	m.setMessage("host "+sanitize(id)+" is not in the snapshot", toneWarn)
}

func (m *Model) openPicker() {
	switch {
	case m.snap == nil || len(m.snap.Fields) == 0:
		m.setMessage("no ENC fields known yet: nothing to group by", toneWarn)
	default:
		m.overlay = pickerOverlay
		m.pickCursor = 0
		for i, f := range m.snap.Fields {
			if f == m.snap.GroupBy {
				m.pickCursor = i
			}
		}
	}
}

func (m *Model) onPickerKey(k tea.KeyPressMsg) tea.Cmd {
	keys := m.c.Keys
	fields := m.snap.Fields
	switch {
	case key.Matches(k, keys.Prompt.Cancel), key.Matches(k, keys.Global.GroupBy):
		m.overlay = noOverlay
	case key.Matches(k, keys.Table.Up):
		m.pickCursor = max(0, m.pickCursor-1)
	case key.Matches(k, keys.Table.Down):
		m.pickCursor = min(len(fields)-1, m.pickCursor+1)
	case key.Matches(k, keys.Prompt.Accept):
		m.overlay = noOverlay
		if m.pickCursor < 0 || m.pickCursor >= len(fields) {
			return nil
		}
		f := fields[m.pickCursor]
		m.src.SetGroupBy(f)
		m.level = levelOverview
		m.focus = paneGroups
		m.groups.selected, m.groups.cursor = 0, 0
		m.setMessage("grouping hosts by "+sanitize(f), toneAccent)
		m.pull()
	}
	return nil
}

func (m *Model) loadView(n int) {
	if m.cl == nil {
		m.setMessage("views are not available here", toneWarn)
		return
	}
	views := m.cl.Views()
	if n < 1 || n > len(views) {
		m.setMessage("no view "+strconv.Itoa(n)+" ("+strconv.Itoa(len(views))+" saved; :save NAME makes one)", toneWarn)
		return
	}
	m.runCommand("load " + views[n-1])
	if m.level == levelOverview {
		m.focus = paneWindows
	}
}

// runCommand runs one command line, shows its result and carries out what it asks of the dashboard. A command
// that changed the windows shows them; its text then goes to the message line only.
func (m *Model) runCommand(line string) {
	rep, err := m.cl.Run(line)
	if err != nil {
		m.setMessage(err.Error(), toneBad)
		return
	}
	out := strings.TrimSpace(rep.Output)
	if slices.Contains(rep.Actions, Action(ShowWindows{})) {
		// the first line names what was drawn; the rest describes the series the window now shows
		out, _, _ = strings.Cut(out, "\n")
	}
	if out != "" {
		m.setMessage(out, toneText)
	}
	for _, a := range rep.Actions {
		m.act(a)
	}
	m.pollWindows()
	m.pull()
}
