package ui

import (
	"time"

	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/model/events"
	"github.com/fleettop/fleettop/model/query"
	"github.com/fleettop/fleettop/themes"
)

// Fleet is the model as the dashboard sees it: the latest Snapshot, pulled on the dashboard's own tick, and the
// grouping, which the group-by picker changes (the model then publishes a regrouped Snapshot). Both are called
// from the Bubble Tea goroutine and must not block. *model.Fleet is one.
type Fleet interface {
	Snapshot() *model.Snapshot
	SetGroupBy(field string)
}

// Console runs the command language (model/query) for the ":" prompt. Its methods are called from the Bubble Tea
// goroutine and should answer promptly; remote fetches belong in the background, their results showing up in
// Windows later. internal/app's Console is the one over the model and graphite-web.
type Console interface {
	// Run runs one line: text for the message area and what the line asks of the dashboard. On error nothing of
	// the reply is applied.
	Run(line string) (Reply, error)
	// Complete completes the line at the cursor: the new line and, when ambiguous, the candidates.
	Complete(line string, cursor int) (completed string, candidates []string)
	// History is the lines run so far, which ↑ and ↓ browse on the prompt; nil when there is none.
	History() *query.History
	// Windows is the windows as last drawn (never nil). They are published the way Snapshots are: a set once
	// returned never changes, and a new drawing comes with a new Version.
	Windows() *Windows
	// Views is the saved views, in the order keys 1-9 load them.
	Views() []string
}

// EventSource publishes the thresholds' events (internal/app's Console). Events is called from the Bubble Tea
// goroutine on every data refresh; it must not block and never returns nil. A Log once returned never changes.
type EventSource interface {
	Events() *events.Log
}

// Windows is one drawing of the command line's windows.
type Windows struct {
	Version uint64 // grows with every drawing; the dashboard redraws the windows only when it changed
	List    []WindowData
}

// Reply is what one command line produced: text for the message area and what it asks of the dashboard, in the
// order the commands asked (a script may ask several things).
type Reply struct {
	Output  string
	Actions []Action
}

// Action is something a command asks of the dashboard. SwitchTheme, FilterTable, ClearMessages, ShowChart,
// ShowWindows and SetRefresh are all there are.
type Action interface{ action() }

type (
	// SwitchTheme redraws the dashboard in another theme of Options.Themes (`set theme NAME`); an unknown name is
	// an error in the message area.
	SwitchTheme struct{ Name string }
	// FilterTable filters the focused table as `/` does (`filter EXPR`); Invert keeps the rows that do not match
	// (`filter !EXPR`); an empty Expr clears the filter (`filter`).
	FilterTable struct {
		Expr   string
		Invert bool
	}
	// ClearMessages empties the message and output area (`clear`).
	ClearMessages struct{}
	// ShowChart shows a one-off chart until the next key (`draw TARGET` without a window).
	ShowChart struct{ Window WindowData }
	// ShowWindows says the line changed the windows (drew into one, loaded a view): the dashboard brings the
	// windows pane forward and shows only the first line of the output, the windows showing the rest.
	ShowWindows struct{}
	// SetRefresh changes the dashboard's data refresh (`set refresh 2s`).
	SetRefresh struct{ Every time.Duration }
)

func (SwitchTheme) action()   {}
func (FilterTable) action()   {}
func (ClearMessages) action() {}
func (ShowChart) action()     {}
func (ShowWindows) action()   {}
func (SetRefresh) action()    {}

// WindowData is one command-line window as the UI draws it.
type WindowData struct {
	Name, Title string
	From, Until string    // as the user gave them ("-1h", "now")
	Start, End  time.Time // the time of the first and last points, for the time axis; zero when unknown
	Series      []ChartSeries
	Err         string // why the window has no (or partial) data
	Loading     bool   // being drawn (a graphite-web render in flight): the chart says "loading…" until it is
}

// ChartSeries is one line of a window; NaN points are nulls (gaps).
type ChartSeries struct {
	Name   string
	Points []float64
}

// Options configure the dashboard. The zero value is usable.
type Options struct {
	Theme   string           // a theme name; "" is dark (booth in kiosk mode)
	Themes  *themes.Catalog  // user themes; nil is the built-ins only
	Mouse   bool             // report mouse events (off by default)
	ASCII   bool             // no block or box characters
	Refresh time.Duration    // data refresh; 0 is 1 s, or 2 s over ssh
	Kiosk   time.Duration    // cycle panes and views every Kiosk; 0 is off
	FPS     int              // frame cap; 0 is 15
	SnapDir string           // where ctrl+s writes; "" is $XDG_STATE_HOME/fleettop
	Environ []string         // the environment (NO_COLOR, TERM, SSH_CONNECTION); nil is os.Environ()
	Now     func() time.Time // the clock; nil is time.Now
	Notices []string         // shown once at start (e.g. user themes that failed to load)
	// Events, when set, serves the thresholds' events: the Events pane (E), the latest in the status line and
	// the rows of groups and hosts with a raised event marked.
	Events EventSource
	Listen string // the sFlow listener's address, named by the empty state; "" when not listening
	// Banner, when set, is asked on every data refresh for a line to show under the status line, on a line of
	// its own (the demo's current incident); "" shows nothing. It is called from the Bubble Tea goroutine and
	// must not block.
	Banner func() string
	// Recording, when set, is the state of the recording (--record): the status line shows a REC badge, "REC
	// stopped" once it failed. Called on every frame from the Bubble Tea goroutine; it must not block.
	Recording func() model.FeedHealth
}

// Common is what every pane shares: the theme, its paints and glyphs, the key map and the clock.
type Common struct {
	Theme themes.Theme
	St    *styles
	Glyph *glyphs
	Keys  *KeyMap
	Now   func() time.Time
}

func newCommon(t themes.Theme, ascii bool, now func() time.Time) *Common {
	g := &unicodeGlyphs
	if ascii {
		g = &asciiGlyphs
	}
	km := DefaultKeyMap()
	return &Common{Theme: t, St: newStyles(t), Glyph: g, Keys: &km, Now: now}
}
