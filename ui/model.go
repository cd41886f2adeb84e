package ui

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

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

// ColorDisabled reports whether the environment asks for no colour (NO_COLOR set, or TERM=dumb).
func ColorDisabled(getenv func(string) string) bool {
	return getenv("NO_COLOR") != "" || getenv("TERM") == "dumb"
}

func envLookup(environ []string) func(string) string {
	vars := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	return func(k string) string { return vars[k] }
}

func lgFg(t themes.Theme, c themes.Color) lipgloss.Style {
	st := lipgloss.NewStyle()
	if !t.Mono && c != "" {
		st = st.Foreground(lipgloss.Color(string(c)))
	}
	return st
}

func helpStyles(t themes.Theme) help.Styles {
	k := lgFg(t, t.Accent).Bold(true)
	d := lgFg(t, t.Text)
	s := lgFg(t, t.Muted)
	return help.Styles{Ellipsis: s, ShortKey: k, ShortDesc: d, ShortSeparator: s, FullKey: k, FullDesc: d, FullSeparator: s}
}

func inputStyles(t themes.Theme) textinput.Styles {
	st := textinput.DefaultStyles(t.Dark)
	st.Focused.Prompt = lgFg(t, t.Accent).Bold(true)
	st.Focused.Text = lgFg(t, t.Text)
	st.Blurred = st.Focused
	st.Cursor.Blink = false // a blinking cursor would redraw twice a second for nothing
	return st
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

// kioskStop is one thing kiosk mode shows: a pane of the overview, or a saved view in the windows pane.
type kioskStop struct {
	pane paneID
	view string
}

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
