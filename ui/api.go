package ui

import (
	"time"

	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/themes"
)

// SnapshotSource hands out the model's latest Snapshot. The UI pulls it on its own tick; it is called from the
// Bubble Tea goroutine and must not block.
type SnapshotSource interface {
	Snapshot() *model.Snapshot
}

// Controller carries the UI's actions to the model.
type Controller interface {
	// SetGroupBy regroups hosts by an ENC field (one of Snapshot.Fields).
	SetGroupBy(field string) error
	// RefreshInterval is the data refresh asked for at run time (":set refresh"); 0 keeps the UI's default.
	RefreshInterval() time.Duration
}

// CommandLine runs the command language (model/query) for the ":" prompt. Exec and Complete are called from the
// Bubble Tea goroutine and should answer promptly; remote fetches belong in the background, their results showing
// up in Windows later.
type CommandLine interface {
	// Exec runs one line; output is shown in the message area, err as an error there.
	Exec(line string) (output string, err error)
	// Complete completes the line at the cursor: the new line and, when ambiguous, the candidates.
	Complete(line string, cursor int) (completed string, candidates []string)
	// History is the lines run so far, oldest first.
	History() []string
	// Windows is the current set of windows to draw.
	Windows() []WindowData
	// Views is the saved views, in the order keys 1-9 load them.
	Views() []string
}

// CommandRunner is a CommandLine whose lines may also ask something of the dashboard: a theme, a filter, an empty
// message area, a one-off chart. When the CommandLine implements it, the dashboard calls Run instead of Exec and
// applies the reply's actions itself; a plain Exec leaves those commands without effect on the screen.
type CommandRunner interface {
	// Run runs one line. On error nothing of the reply is applied.
	Run(line string) (Reply, error)
}

// Reply is what one command line produced: text for the message area and what it asks of the dashboard, in the
// order the commands asked (a script may ask several things).
type Reply struct {
	Output  string
	Actions []Action
}

// Action is something a command asks of the dashboard. SwitchTheme, FilterTable, ClearMessages and ShowChart are
// all there are.
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
)

func (SwitchTheme) action()   {}
func (FilterTable) action()   {}
func (ClearMessages) action() {}
func (ShowChart) action()     {}

// WindowData is one command-line window as the UI draws it.
type WindowData struct {
	Name, Title string
	From, Until string    // as the user gave them ("-1h", "now")
	Start, End  time.Time // the time of the first and last points, for the time axis; zero when unknown
	Series      []ChartSeries
	Err         string // why the window has no (or partial) data
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
	SnapDir string           // where ctrl+s writes; "" is the working directory
	Environ []string         // the environment (NO_COLOR, TERM, SSH_CONNECTION); nil is os.Environ()
	Now     func() time.Time // the clock; nil is time.Now
	Notices []string         // shown once at start (e.g. user themes that failed to load)
	// Banner, when set, is asked on every data refresh for a line to show at the right of the status line (the
	// demo's current incident); "" shows nothing. It is called from the Bubble Tea goroutine and must not block.
	Banner func() string
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
