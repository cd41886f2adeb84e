package ui

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/model/events"
	"github.com/fleettop/fleettop/themes"
)

// paneID names the overview panes, in Tab order.
type paneID int

const (
	paneGroups paneID = iota
	paneTalkers
	paneURLs
	paneKeys
	paneWindows
	paneCount
)

var paneNames = [paneCount]string{"Groups", "Talkers", "URLs", "Keys", "Windows"}

type overlayKind int

const (
	noOverlay overlayKind = iota
	helpOverlay
	pickerOverlay
	outputOverlay
	chartOverlay
)

type promptKind int

const (
	noPrompt promptKind = iota
	commandPrompt
	filterPrompt
)

// Drill-down levels.
const (
	levelOverview = iota
	levelHosts
	levelHost
	levelAgents // the Agents pane, from any level; Esc returns to the overview
	levelEvents // the Events pane, from any level; Esc returns to the overview
)

// Minimum terminal size; below it the dashboard shows only ingest health.
const (
	minWidth  = 60
	minHeight = 20
)

const (
	resizeSettle = 40 * time.Millisecond // resize events arriving closer than this are coalesced
	messageLife  = 6 * time.Second
	errorLife    = 12 * time.Second
)

type (
	dataTickMsg  struct{}
	kioskTickMsg struct{}
	resizeMsg    struct{ seq int }
)

// Model is the dashboard: the root Bubble Tea model. Child panes return strings; only Model builds the tea.View.
type Model struct {
	c   *Common
	src Fleet
	cl  Console
	opt Options

	refresh, defaultRefresh time.Duration

	snap     *model.Snapshot // shown
	names    map[string]string
	paused   bool
	pausedAt time.Time
	snapAt   time.Time // when the shown snapshot arrived

	groups  *table
	talkers *talkersPane
	urls    *table
	keys    *table
	windows *windowsPane
	hosts   *table
	host    *hostPane
	agents  *table
	eventsT *table      // the Events pane
	evlog   *events.Log // the events shown (Options.Events)
	focus   paneID

	jvmGroups, jvmHosts *table // the JVM pane (jvm.go)
	devices, ifaces     *table // the Devices pane (devices.go)
	drillDev            string // the device whose interfaces are listed
	hostFrom            int    // the level a host page was opened from, when it is not the group's hosts
	zoomed              bool   // the focused table fills the main area (zoom.go)

	level      int
	drillGroup string
	drillHost  string

	// The page's own flows (FlowSource): the query asked last, whether it runs, and the group's tables.
	flowsAsked   string
	flowsVersion uint64
	flowsBusy    bool
	groupFlows   *flowTables
	groupFlowsOf string // the group groupFlows show

	rewind rewindState // the second asked of the RewindSource

	overlay    overlayKind
	pickCursor int
	output     []string
	outputTop  int // first output line shown
	chart      chartOverlayState

	prompt     promptKind
	input      textinput.Model
	hint       string
	lastFilter string // the previous "/" filter, which ↑ on the filter prompt brings back

	rankedAt time.Time // the snapshot time the ranked top lists show (rankedDue)
	rankedBy string    // and its grouping

	hits    []paneHit // where the last frame drew each pane, for clicks
	mainTop int       // the first line of the main area

	gone    map[string]goneHost // hosts that left the snapshot, until cleared (at most maxGoneHosts)
	present map[string]struct{} // scratch of trackGone

	msg      string
	msgTone  tone
	msgUntil time.Time
	banner   string

	noColor bool                // NO_COLOR or TERM=dumb: every theme is shown as mono
	getenv  func(string) string // Options.Environ's

	help help.Model

	w, h         int
	sized        bool
	pendW, pendH int
	resizeSeq    int
	kiosk        bool
	kioskAt      kioskStop
	renderDur    time.Duration
	framesBuilt  int
	frameMu      sync.Mutex
	frame        string
	dirty        bool
	footerKey    footerKey
	footerCache  string
}

// New builds the dashboard. It fails only on an unknown theme name. src must not be nil; cl may be (the command
// line then says it is unavailable).
func New(src Fleet, cl Console, opt Options) (*Model, error) {
	if src == nil {
		return nil, fmt.Errorf("ui: no snapshot source")
	}
	environ := opt.Environ
	if environ == nil {
		environ = os.Environ()
	}
	getenv := envLookup(environ)
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	name := opt.Theme
	if name == "" {
		name = themes.Dark
		if opt.Kiosk > 0 {
			name = themes.Booth
		}
	}
	theme, err := opt.Themes.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("ui: %w", err)
	}
	ascii := opt.ASCII
	noColor := ColorDisabled(getenv)
	if noColor {
		theme, _ = themes.Builtin(themes.Mono)
	}
	if getenv("TERM") == "dumb" {
		ascii = true
	}
	c := newCommon(theme, ascii, now)
	m := &Model{c: c, src: src, cl: cl, opt: opt, names: map[string]string{}, dirty: true, noColor: noColor,
		getenv: getenv, gone: map[string]goneHost{}, present: map[string]struct{}{}}
	m.defaultRefresh = opt.Refresh
	if m.defaultRefresh <= 0 {
		m.defaultRefresh = time.Second
		if getenv("SSH_CONNECTION") != "" {
			m.defaultRefresh = 2 * time.Second
		}
	}
	m.refresh = m.defaultRefresh
	m.groups = newTable(c, "Groups", groupCols, gName, false, false)
	m.talkers = newTalkersPane(c)
	m.urls = newTable(c, "Hottest URLs", urlCols, uRate, true, true)
	m.keys = newTable(c, "Memcache keys", keyCols, kRate, true, true)
	m.windows = &windowsPane{Common: c, dirty: true}
	m.hosts = newTable(c, "Hosts", hostCols, hName, false, false)
	m.host = newHostPane(c)
	m.groupFlows = newFlowTables(c, "group")
	m.agents = newTable(c, "Agents", agentCols, aLost, true, false)
	m.agents.empty = "no sFlow agent heard yet"
	m.eventsT = newTable(c, "Events", eventCols, eTime, true, false)
	m.eventsT.empty = "no events yet (:threshold NAME TARGET > VALUE [for D] defines a threshold)"
	m.newKindTables(c)
	m.kiosk = opt.Kiosk > 0
	m.help = help.New()
	m.help.Styles = helpStyles(theme)
	if ascii {
		m.help.ShortSeparator, m.help.Ellipsis = " | ", c.Glyph.ellipsis
	}
	m.input = textinput.New()
	m.input.SetStyles(inputStyles(theme))
	if len(opt.Notices) > 0 {
		m.setMessage(strings.Join(opt.Notices, "; "), toneWarn)
	}
	m.pull()
	m.pollEvents()
	m.pollWindows()
	m.pollBanner()
	return m, nil
}

// Init starts the data tick (and the kiosk tick).
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.dataTick()}
	if m.kiosk {
		cmds = append(cmds, m.kioskTick())
	}
	return tea.Batch(cmds...)
}

func (m *Model) dataTick() tea.Cmd {
	return tea.Tick(m.refresh, func(time.Time) tea.Msg { return dataTickMsg{} })
}

func (m *Model) kioskTick() tea.Cmd {
	return tea.Tick(m.opt.Kiosk, func(time.Time) tea.Msg { return kioskTickMsg{} })
}

// Screen is the last frame without styling: what the terminal shows. Safe to call from any goroutine.
func (m *Model) Screen() string {
	m.frameMu.Lock()
	defer m.frameMu.Unlock()
	return stripANSI(m.frame)
}

// Frame is the last frame with styling.
func (m *Model) Frame() string {
	m.frameMu.Lock()
	defer m.frameMu.Unlock()
	return m.frame
}

// View returns the frame composed by the last Update; it formats nothing.
func (m *Model) View() tea.View {
	m.frameMu.Lock()
	v := tea.NewView(m.frame)
	m.frameMu.Unlock()
	v.AltScreen = true
	v.WindowTitle = "fleettop"
	if m.opt.Mouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	return v
}

// Update handles one message and recomposes the frame if anything shown changed.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	start := m.c.Now()
	cmd := m.update(msg)
	if fc := m.queryFlows(); fc != nil {
		cmd = tea.Batch(cmd, fc)
	}
	if m.dirty {
		m.compose()
		m.renderDur = m.c.Now().Sub(start)
	}
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		if !m.sized {
			m.resize(msg.Width, msg.Height)
			return nil
		}
		m.pendW, m.pendH = msg.Width, msg.Height
		m.resizeSeq++
		seq := m.resizeSeq
		return tea.Tick(resizeSettle, func(time.Time) tea.Msg { return resizeMsg{seq: seq} })
	case resizeMsg:
		if msg.seq == m.resizeSeq && m.pendW > 0 && m.pendH > 0 {
			m.resize(m.pendW, m.pendH)
		}
		return nil
	case dataTickMsg:
		m.onTick()
		return m.dataTick()
	case flowsMsg:
		m.onFlows(msg)
		return nil
	case rewindMsg:
		return m.onRewound(msg)
	case kioskTickMsg:
		if !m.kiosk {
			return nil
		}
		m.kioskAdvance()
		return m.kioskTick()
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case tea.PasteMsg:
		if m.prompt != noPrompt {
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			m.afterInput()
			return cmd
		}
	case tea.MouseClickMsg:
		m.onClick(msg)
	case tea.MouseWheelMsg:
		if t := m.activeTable(); t != nil {
			if msg.Mouse().Button == tea.MouseWheelUp {
				t.Move(-1)
			} else {
				t.Move(1)
			}
			m.dirty = true
		}
	}
	return nil
}

func (m *Model) resize(w, h int) {
	if w == m.w && h == m.h && m.sized {
		return
	}
	m.w, m.h, m.sized = w, h, true
	m.dirty = true
}

// onTick pulls the latest snapshot and windows and expires the message.
func (m *Model) onTick() {
	m.pull()
	m.pollEvents()
	m.pollWindows()
	m.pollBanner()
	if m.msg != "" && !m.msgUntil.IsZero() && m.c.Now().After(m.msgUntil) {
		m.msg = ""
		m.dirty = true
	}
	if m.paused || m.stale() > 0 {
		m.dirty = true // the frozen age, or the stale snapshot's, in the badge
	}
}

// stale returns how long no new snapshot arrived when that is more than two refresh intervals (the data shown
// is stale: the model is not publishing), else 0.
func (m *Model) stale() time.Duration {
	if m.snap == nil || m.paused {
		return 0
	}
	if d := m.c.Now().Sub(m.snapAt); d > 2*m.refresh {
		return d
	}
	return 0
}

// pull takes the source's latest snapshot unless paused; rows are formatted here, once per new Version.
func (m *Model) pull() {
	if m.paused {
		return
	}
	s := m.src.Snapshot()
	if s == nil || (m.snap != nil && s.Version == m.snap.Version && s == m.snap) {
		return
	}
	m.apply(s)
}

func (m *Model) apply(s *model.Snapshot) {
	if m.snap != nil && s.GroupBy != m.snap.GroupBy && m.level != levelOverview {
		m.level = levelOverview // the drilled-into group is gone with the old grouping (`group by` on the command line)
	}
	m.trackGone(m.snap, s)
	m.snap, m.snapAt = s, m.c.Now()
	clear(m.names)
	if len(s.URLs) > 0 || len(s.Keys) > 0 {
		for i := range s.Hosts {
			m.names[s.Hosts[i].ID] = s.Hosts[i].Name
		}
	}
	arrow := m.c.Glyph.arrow
	m.groups.SetRows(append(groupRows(s), m.goneGroupRows(s)...))
	if m.rankedDue(s) {
		m.talkers.SetRows(s, arrow)
		m.urls.SetRows(urlRows(s.URLs, m.names))
		m.keys.SetRows(keyRows(s.Keys, m.names))
		m.urls.window, m.keys.window = windowNote(s), windowNote(s)
	}
	if m.level == levelHosts || m.level == levelHost {
		m.hosts.SetRows(m.hostRowsOf(m.drillGroup))
	}
	if m.level == levelAgents {
		m.agents.SetRows(agentRows(s))
	}
	if m.level == levelHost {
		m.host.SetHost(s, m.drillHost, m.names, arrow)
	}
	m.markAlerts()
	m.applyKinds(s)
	m.dirty = true
}

// pollBanner takes the banner line, unless paused: the banner belongs with the data it describes.
func (m *Model) pollBanner() {
	if m.opt.Banner == nil || m.paused {
		return
	}
	if b := sanitize(m.opt.Banner()); b != m.banner {
		m.banner = b
		m.dirty = true
	}
}

func (m *Model) pollWindows() {
	if m.cl == nil {
		return
	}
	if ws := m.cl.Windows(); ws != nil && m.windows.SetWindows(ws) {
		m.dirty = true
	}
}

func (m *Model) setMessage(text string, tn tone) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > 1 {
		m.output, m.outputTop = lines, 0
		m.overlay = outputOverlay
		text = lines[0] + " (" + strconv.Itoa(len(lines)) + " lines)"
	}
	m.msg, m.msgTone = sanitize(text), tn
	life := messageLife
	if tn == toneBad {
		life = errorLife
	}
	m.msgUntil = m.c.Now().Add(life)
	m.dirty = true
}

// focusable lists the panes Tab cycles through in the current layout.
func (m *Model) focusable() []paneID {
	ids := []paneID{paneGroups, paneTalkers, paneURLs, paneKeys}
	if m.layoutKind() == layoutTabs || len(m.windows.windows) > 0 {
		ids = append(ids, paneWindows)
	}
	return ids
}

func (m *Model) cycleFocus(delta int) {
	ids := m.focusable()
	at := 0
	for i, id := range ids {
		if id == m.focus {
			at = i
		}
	}
	m.focus = ids[(at+delta+len(ids))%len(ids)]
	m.dirty = true
}

// activeTable is the table keys go to, nil when the focused pane is not a table.
func (m *Model) activeTable() *table {
	if t := m.kindTable(); t != nil {
		return t
	}
	switch m.level {
	case levelHosts:
		return m.hosts
	case levelHost:
		return nil
	case levelAgents:
		return m.agents
	case levelEvents:
		return m.eventsT
	}
	switch m.focus {
	case paneGroups:
		return m.groups
	case paneTalkers:
		return m.talkers.active()
	case paneURLs:
		return m.urls
	case paneKeys:
		return m.keys
	}
	return nil
}

// kioskStop is one thing kiosk mode shows: a pane of the overview, or a saved view in the windows pane.
type kioskStop struct {
	pane paneID
	view string
}

// helpKeys are the bindings active in the current context, for the help screen and the footer.
func (m *Model) helpKeys() bindingHelp {
	g, t, p := &m.c.Keys.Global, &m.c.Keys.Table, &m.c.Keys.Prompt
	if m.prompt == commandPrompt {
		return bindingHelp{short: []key.Binding{p.Accept, p.Complete, p.HistoryUp, p.HistoryDown, p.Cancel}}
	}
	if m.prompt == filterPrompt {
		return bindingHelp{short: []key.Binding{p.Accept, p.HistoryUp, p.Cancel}}
	}
	global := []key.Binding{g.Help, g.Command, g.Filter, g.NextPane, g.PrevPane, g.GroupBy, g.Agents, g.Events, g.JVMs, g.Devices, g.Zoom, g.Pause, g.Views, g.Snapshot, g.Copy, g.ClearGone, g.Redraw, g.Back, g.Quit}
	var nav []key.Binding
	navTitle := "In this table"
	switch {
	case m.level == levelHost, m.level == levelOverview && m.focus == paneWindows:
		nav = []key.Binding{t.Up, t.Down, t.PageUp, t.PageDown, t.Top, t.Bottom}
		navTitle = "Scrolling"
	case m.activeTable() != nil:
		nav = []key.Binding{t.Up, t.Down, t.PageUp, t.PageDown, t.Top, t.Bottom, t.Sort, t.SortReverse}
		if m.activeTable().ranked {
			nav = append(nav, t.FreezeOrder)
		}
		if m.level == levelOverview && m.focus == paneTalkers {
			nav = append(nav, t.TalkerMode)
		}
		if m.level == levelHosts || m.level == levelEvents || (m.level == levelOverview && m.focus != paneTalkers) ||
			m.kindTable() != nil && m.level != levelDevice {
			nav = append(nav, t.Drill)
		}
	}
	// The footer names only what works here.
	short := []key.Binding{g.Help, g.Command}
	if m.activeTable() != nil {
		short = append(short, g.Filter)
	}
	if m.level == levelOverview {
		short = append(short, g.NextPane)
	}
	if m.level == levelHosts || (m.level == levelOverview && m.activeTable() != nil && m.focus != paneTalkers) ||
		m.kindTable() != nil && m.level != levelDevice {
		short = append(short, t.Drill)
	}
	if m.level == levelHost {
		short = append(short, t.PageDown)
	}
	short = append(short, m.rewindShort()...)
	short = append(short, g.GroupBy, g.Pause, g.Back, g.Quit)
	cmd := []key.Binding{p.Complete, p.HistoryUp, p.HistoryDown, p.Accept, p.Cancel}
	full, titles := [][]key.Binding{global, nav, cmd}, []string{"Everywhere", navTitle, "On the : line"}
	if rw := m.rewindBindings(); rw != nil {
		full, titles = append(full, rw), append(titles, "Rewind")
	}
	return bindingHelp{short: short, full: full, titles: titles}
}
