package ui

import (
	"strings"

	"github.com/fleettop/fleettop/themes"
)

// act carries out one thing a command asked of the dashboard.
func (m *Model) act(a Action) {
	switch a := a.(type) {
	case SwitchTheme:
		m.switchTheme(a.Name)
	case FilterTable:
		m.filterFocused(a.Expr, a.Invert)
	case ClearMessages:
		m.clearMessages()
	case ShowChart:
		m.chart = chartOverlayState{window: a.Window}
		m.overlay = chartOverlay
	case ShowWindows:
		if m.level == levelOverview {
			m.focus = paneWindows
		}
	case SetRefresh:
		if a.Every > 0 {
			m.refresh = a.Every
		}
	}
	m.dirty = true
}

// switchTheme redraws everything in the named theme of the catalog.
func (m *Model) switchTheme(name string) {
	t, err := m.opt.Themes.Lookup(strings.TrimSpace(name))
	if err != nil {
		m.setMessage(err.Error(), toneBad)
		return
	}
	if m.noColor && !t.Mono {
		m.setMessage("NO_COLOR is set (or TERM=dumb): the dashboard stays monochrome", toneWarn)
		return
	}
	m.setTheme(t)
	m.setMessage("theme "+t.Name, toneAccent)
}

// setTheme swaps the shared theme and paints and drops every cached view: the panes share Common, so they pick the
// new paints up on their next View.
func (m *Model) setTheme(t themes.Theme) {
	m.c.Theme = t
	m.c.St = newStyles(t)
	m.help.Styles = helpStyles(t)
	m.input.SetStyles(inputStyles(t))
	for _, tab := range m.tables() {
		tab.invalidate()
	}
	m.windows.dirty = true
	m.host.dirty = true
	m.chart.cache = ""
	m.footerCache = ""
	m.dirty = true
}

// tables is every table of the dashboard, shown or not.
func (m *Model) tables() []*table {
	ts := []*table{m.groups, m.urls, m.keys, m.hosts, m.host.counters, m.host.flows.talkers, m.host.flows.urls,
		m.host.flows.keys, m.groupFlows.talkers, m.groupFlows.urls, m.groupFlows.keys}
	return append(ts, m.talkers.tables[:]...)
}

// filterFocused filters the focused table the way the "/" prompt does.
func (m *Model) filterFocused(expr string, invert bool) {
	t := m.activeTable()
	if t == nil {
		m.setMessage("filter: nothing to filter here (tab to a table first)", toneWarn)
		return
	}
	f := strings.TrimSpace(expr)
	if invert && f != "" {
		f = "!" + f
	}
	t.SetFilter(f)
	if f == "" {
		m.setMessage("filter cleared on "+t.title, toneAccent)
		return
	}
	m.setMessage("filter "+sanitize(t.FilterText())+" on "+t.title, toneAccent)
}

// clearMessages empties the message line and closes command output.
func (m *Model) clearMessages() {
	m.msg = ""
	m.msgUntil = m.c.Now()
	m.output = nil
	m.hint = ""
	if m.overlay == outputOverlay || m.overlay == chartOverlay {
		m.overlay = noOverlay
	}
}

// chartOverlayState is a one-off chart (`draw TARGET` without a window) and its plot at the last size.
type chartOverlayState struct {
	window WindowData
	w, h   int
	cache  string
}

func (m *Model) chartView(w, h int) string {
	c := &m.chart
	if c.cache != "" && c.w == w && c.h == h {
		return c.cache
	}
	st := m.c.St
	head := fitStyled(st.titleFocus.str("Chart")+st.muted.str("  any key closes"), w)
	spec := windowSpec(c.window)
	if spec.title == "" {
		names := make([]string, 0, len(c.window.Series))
		for _, s := range c.window.Series {
			names = append(names, s.Name)
		}
		spec.title = strings.Join(names, ", ")
	}
	c.w, c.h = w, h
	c.cache = head
	if h > 1 {
		c.cache += "\n" + renderChart(m.c, spec, w, h-1)
	}
	return c.cache
}
