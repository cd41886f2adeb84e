package ui

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/fleettop/fleettop/model"
)

// FlowSource is a SnapshotSource that also counts one host's or one group's own traffic (model.Fleet does).
// When the source implements it, the host page lists the host's own talkers, URLs and memcache keys and the
// hosts page the group's; otherwise the host page filters the Snapshot's global top-N tables. The dashboard
// calls it off the Bubble Tea goroutine, one query at a time, after each new Snapshot of the page shown.
type FlowSource interface {
	HostFlows(id string, n int) model.Flows
	GroupFlows(group string, n int) model.Flows
}

// flowRowsShown is how many rows each per-host or per-group table asks for.
const flowRowsShown = 50

// flowsMsg delivers the answer to a flow query.
type flowsMsg struct {
	target  string // "host\x00ID" or "group\x00NAME"
	version uint64 // of the Snapshot the query followed
	flows   model.Flows
}

// flowTarget names what the page shown wants counted; "" when it wants nothing.
func (m *Model) flowTarget() string {
	switch m.level {
	case levelHost:
		return "host\x00" + m.drillHost
	case levelHosts:
		return "group\x00" + m.drillGroup
	}
	return ""
}

// queryFlows asks the source for the flows of the page shown, unless it has them for this Snapshot already or a
// query is still running.
func (m *Model) queryFlows() tea.Cmd {
	fs, ok := m.src.(FlowSource)
	target := m.flowTarget()
	if !ok || target == "" || m.snap == nil || m.flowsBusy ||
		(target == m.flowsAsked && m.snap.Version == m.flowsVersion) {
		return nil
	}
	m.flowsBusy, m.flowsAsked, m.flowsVersion = true, target, m.snap.Version
	kind, name, _ := strings.Cut(target, "\x00")
	version := m.snap.Version
	ask := m.flowAsker(fs)
	return func() tea.Msg {
		return flowsMsg{target: target, version: version, flows: ask(kind, name)}
	}
}

// onFlows shows the answer of a flow query if it is still wanted.
func (m *Model) onFlows(msg flowsMsg) {
	m.flowsBusy = false
	if msg.target != m.flowTarget() {
		return
	}
	arrow := m.c.Glyph.arrow
	if m.level == levelHost {
		m.host.SetFlows(m.drillHost, msg.flows, m.names, arrow)
	} else {
		m.groupFlows.set(msg.flows, m.names, arrow)
		m.groupFlowsOf = m.drillGroup
	}
	m.dirty = true
}

// flowTables are the talkers, URLs and memcache keys of one host or group.
type flowTables struct {
	*Common
	whose               string // "host" or "group"
	talkers, urls, keys *table
}

func newFlowTables(c *Common, whose string) *flowTables {
	t := &flowTables{Common: c, whose: whose}
	t.talkers = newTable(c, "Talkers", talkerCols(byPair, c.Glyph.arrow), tBytes, true, true)
	t.urls = newTable(c, "URLs served", urlCols, uRate, true, true)
	t.keys = newTable(c, "Memcache keys", keyCols, kRate, true, true)
	return t
}

// set shows counted flows, with the span they cover in the titles.
func (t *flowTables) set(fl model.Flows, names map[string]string, arrow string) {
	t.talkers.empty = "no traffic of this " + t.whose + " in the window"
	t.urls.empty = "no HTTP request served by this " + t.whose + " in the window"
	t.keys.empty = "no memcache operation served by this " + t.whose + " in the window"
	t.talkers.SetRows(talkerRows(fl.Talkers, byPair, arrow))
	t.urls.SetRows(urlRows(fl.URLs, names))
	t.keys.SetRows(keyRows(fl.Keys, names))
	note := flowsNote(fl)
	t.talkers.window, t.urls.window, t.keys.window = note, note, note
}

// flowsNote is the span flows cover, marked when the store held less than the window.
func flowsNote(fl model.Flows) string {
	if fl.Partial && !fl.End.After(fl.Start) {
		return "flow store no longer reaches back to " + fl.End.Format("15:04:05")
	}
	if !fl.End.After(fl.Start) {
		return ""
	}
	note := strconv.Itoa(int(fl.End.Sub(fl.Start).Round(time.Second)/time.Second)) + " s to " + fl.End.Format("15:04:05")
	if fl.Partial {
		note = "only " + note + " (store full)"
	}
	return note
}

// height is the lines the tables want: their rows and frames, 3 to 10.
func (t *flowTables) height() int {
	h := 3
	for _, tab := range []*table{t.talkers, t.urls, t.keys} {
		h = max(h, min(len(tab.rows)+2, 10))
	}
	return h
}

// lines lays the tables out in width w: side by side when wide, else one under the other.
func (t *flowTables) lines(w int) []string {
	st, g := t.St, t.Glyph
	tabs := []*table{t.talkers, t.urls, t.keys}
	if w < 150 {
		var lines []string
		for _, tab := range tabs {
			tab.SetSize(w, max(3, min(len(tab.rows)+2, 10)))
			lines = append(lines, strings.Split(tab.View(), "\n")...)
		}
		return lines
	}
	tabH := t.height()
	colW := (w - 2) / 3 // two one-cell rules between three tables
	blocks := make([]string, 3)
	widths := make([]int, 3)
	for i, tab := range tabs {
		cw := colW
		if i == 2 {
			cw = w - 2*(colW+1)
		}
		tab.SetSize(cw, tabH)
		blocks[i], widths[i] = tab.View(), cw
	}
	return strings.Split(joinColumns(blocks, widths, tabH, st.border.str(g.vbar)), "\n")
}

// hostsPage is the drill-down into a group: its hosts, and under them the group's own flows when the source
// counts them and the screen has room.
func (m *Model) hostsPage(w, h int) string {
	if m.groupFlowsOf != m.drillGroup || h < 24 {
		m.hosts.SetSize(w, h)
		return m.hosts.View()
	}
	flows := m.groupFlows.lines(w)
	if len(flows) > h/2 {
		flows = flows[:h/2]
	}
	m.hosts.SetSize(w, h-len(flows))
	return m.hosts.View() + "\n" + strings.Join(flows, "\n")
}
