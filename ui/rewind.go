package ui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/fleettop/fleettop/model"
)

// RewindSource is a Fleet that keeps its last minutes (model.Fleet does, Options.Rewind). When the source
// implements it, a paused dashboard steps back and forth through them (RewindKeys) and every pane shows the
// Snapshot of the second chosen.
type RewindSource interface {
	// Rewind returns the fleet as it was at the second of at (Snapshot.Rewound set), nil when out of reach. The
	// dashboard calls it off the Bubble Tea goroutine, one call at a time.
	Rewind(at time.Time) *model.Snapshot
	// RewindSpan returns the times of the oldest and the newest second Rewind shows; zero when none. It is
	// called from the Bubble Tea goroutine and must not block.
	RewindSpan() (oldest, newest time.Time)
}

// RewindFlowSource counts a host's or a group's own flows over a past window (model.Fleet does): the host and
// hosts pages of a rewound Snapshot count its window with it.
type RewindFlowSource interface {
	HostFlowsAt(id string, n int, start, end time.Time) model.Flows
	GroupFlowsAt(group string, n int, start, end time.Time) model.Flows
}

// RewindKeys scrub a paused dashboard through the seconds the source keeps.
type RewindKeys struct {
	Back, Forward, MinuteBack, MinuteForward, Live key.Binding
}

func defaultRewindKeys() RewindKeys {
	return RewindKeys{
		Back:          key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "1 s back (paused)")),
		Forward:       key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "1 s forward")),
		MinuteBack:    key.NewBinding(key.WithKeys("["), key.WithHelp("[", "1 min back")),
		MinuteForward: key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "1 min forward")),
		Live:          key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "live (rewound)")),
	}
}

// rewindBindings are the rewind keys for the help screen: all of them when the source rewinds.
func (m *Model) rewindBindings() []key.Binding {
	if _, ok := m.src.(RewindSource); !ok {
		return nil
	}
	r := &m.c.Keys.Rewind
	return []key.Binding{r.Back, r.Forward, r.MinuteBack, r.MinuteForward, r.Live}
}

// rewindShort are the rewind keys the footer names: the steps back when paused, end when rewound.
func (m *Model) rewindShort() []key.Binding {
	r := &m.c.Keys.Rewind
	switch {
	case m.rewindBindings() == nil || !m.paused:
		return nil
	case m.rewound():
		return []key.Binding{r.Back, r.Forward, r.MinuteBack, r.Live}
	}
	return []key.Binding{r.Back, r.MinuteBack}
}

// rewound reports whether the dashboard shows a past second.
func (m *Model) rewound() bool { return m.snap != nil && m.snap.Rewound }

// rewindState is the rewind under way: the second wanted and whether a Rewind runs. Rewinds run off the
// Bubble Tea goroutine, one at a time (rebuilding 20,000 hosts takes about 0.1 s); keys pressed meanwhile move
// the second wanted, asked for when the running one answers.
type rewindState struct {
	want time.Time // zero when none is wanted
	busy bool
}

// rewindMsg delivers the answer of Rewind(at).
type rewindMsg struct {
	at   time.Time
	snap *model.Snapshot
}

// onRewindKey handles the rewind keys and reports whether k was one of them here: the steps while paused, end
// and the pause key while rewound. end keeps its table meaning when not rewound.
func (m *Model) onRewindKey(k tea.KeyPressMsg) (bool, tea.Cmd) {
	rs, ok := m.src.(RewindSource)
	r := &m.c.Keys.Rewind
	if !ok {
		return false, nil
	}
	var step time.Duration
	switch {
	case (m.rewound() || !m.rewind.want.IsZero()) && key.Matches(k, r.Live, m.c.Keys.Global.Pause):
		m.goLive()
		return true, nil
	case key.Matches(k, r.Back):
		step = -time.Second
	case key.Matches(k, r.Forward):
		step = time.Second
	case key.Matches(k, r.MinuteBack):
		step = -time.Minute
	case key.Matches(k, r.MinuteForward):
		step = time.Minute
	default:
		return false, nil
	}
	if !m.paused {
		m.setMessage("pause (p) first, then ←/→ and [/] step through the last minutes", toneAccent)
		return true, nil
	}
	if m.snap == nil {
		return true, nil
	}
	oldest, newest := rs.RewindSpan()
	if oldest.IsZero() {
		m.setMessage("nothing kept to rewind through", toneWarn)
		return true, nil
	}
	from := m.snap.Time
	if !m.rewind.want.IsZero() {
		from = m.rewind.want
	}
	at := from.Truncate(time.Second).Add(step)
	switch {
	case at.Before(oldest.Truncate(time.Second)):
		at = oldest
		m.setMessage("the rewind reaches back to "+oldest.Format("15:04:05")+" only", toneWarn)
	case at.After(newest):
		at = newest
	}
	m.rewind.want = at
	return true, m.askRewind(rs)
}

// askRewind runs Rewind for the second wanted, unless one runs already.
func (m *Model) askRewind(rs RewindSource) tea.Cmd {
	if m.rewind.busy || m.rewind.want.IsZero() {
		return nil
	}
	m.rewind.busy = true
	at := m.rewind.want
	return func() tea.Msg { return rewindMsg{at: at, snap: rs.Rewind(at)} }
}

// onRewound shows a rewound Snapshot if the rewind is still wanted, and asks for the second wanted now if the
// keys moved it meanwhile.
func (m *Model) onRewound(msg rewindMsg) tea.Cmd {
	m.rewind.busy = false
	if !m.paused || m.rewind.want.IsZero() {
		return nil // back to live meanwhile
	}
	rs, _ := m.src.(RewindSource)
	if msg.snap == nil {
		m.setMessage("the rewind no longer reaches "+msg.at.Format("15:04:05"), toneWarn)
		m.rewind.want = time.Time{}
		return nil
	}
	s := msg.snap
	m.apply(s)
	m.groups.window, m.agents.window = keptNote(s.GroupsAt, s.Time), keptNote(s.AgentsAt, s.Time)
	if msg.at.Equal(m.rewind.want) {
		m.rewind.want = time.Time{}
		return nil
	}
	return m.askRewind(rs)
}

// keptNote says when a rewound table was kept, when that is before the second shown (the model keeps large
// Groups and Agents tables every few seconds only).
func keptNote(kept, shown time.Time) string {
	if kept.IsZero() || !kept.Before(shown) {
		return ""
	}
	return "kept at " + kept.Format("15:04:05")
}

// goLive leaves the rewind: unpaused, the latest Snapshot at once.
func (m *Model) goLive() {
	m.paused, m.rewind.want = false, time.Time{}
	m.groups.window, m.agents.window = "", ""
	m.pull()
	m.setMessage("live", toneAccent)
}

// rewindBadge is "REWIND 11:50:50 -2m0s": the second shown and how far behind the source's latest Snapshot.
func (m *Model) rewindBadge() statusBadge {
	text := "REWIND " + m.snap.Time.Format("15:04:05")
	if live := m.src.Snapshot(); live != nil {
		text += " -" + live.Time.Sub(m.snap.Time).Round(time.Second).String()
	}
	return statusBadge{text: text}
}

// flowAsker returns the flow query of the Snapshot shown: over its window when it is rewound.
func (m *Model) flowAsker(fs FlowSource) func(kind, name string) model.Flows {
	if rs, ok := fs.(RewindFlowSource); ok && m.rewound() {
		start, end := m.snap.WindowStart, m.snap.WindowEnd
		return func(kind, name string) model.Flows {
			if kind == "host" {
				return rs.HostFlowsAt(name, flowRowsShown, start, end)
			}
			return rs.GroupFlowsAt(name, flowRowsShown, start, end)
		}
	}
	return func(kind, name string) model.Flows {
		if kind == "host" {
			return fs.HostFlows(name, flowRowsShown)
		}
		return fs.GroupFlows(name, flowRowsShown)
	}
}
