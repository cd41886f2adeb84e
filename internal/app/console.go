package app

import (
	"context"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fleettop/fleettop/model/events"
	"github.com/fleettop/fleettop/model/query"
	"github.com/fleettop/fleettop/model/tree"
	"github.com/fleettop/fleettop/ui"
)

// Console is the command line of the dashboard and of `fleettop run`: a query.Session over the local metric tree
// (and graphite-web when configured), with its effects applied to the model. It implements ui.Console.
//
// Run changes the session; the windows are drawn in the background (a slow graphite-web never holds the screen)
// and published as a ui.Windows with a new Version, the way the model publishes Snapshots. A drawing is started
// when a command ran or the model published since the last one.
type Console struct {
	fleet   view
	tree    *tree.Tree
	session *query.Session
	history *query.History
	timeout time.Duration // of a command's remote fetches

	notices []string // problems met while setting up, for the status line

	sessMu sync.Mutex // the session is changed by commands and read by background redraws

	evalMu sync.Mutex // the thresholds' evaluation (events.go)
	th     thresholdState

	windows   atomic.Pointer[ui.Windows]
	mu        sync.Mutex
	drawnAt   time.Time // the snapshot time of the last drawing
	dirty     bool      // a command changed the session since the last drawing began
	redrawing atomic.Bool
}

// ConsoleOptions configure a Console.
type ConsoleOptions struct {
	ViewsDir    string        // saved views (a directory or a NATS URL, see Config.Views); "" is Config.Views
	HistoryPath string        // the history file; "" keeps no history
	Timeout     time.Duration // bound of one command's remote fetches; 0 is 3 s
}

var _ ui.Console = (*Console)(nil)

// NewConsole builds the command line over the model: local origin "fleettop" over the metric tree, "graphite"
// over graphite-web when the App has one.
func (a *App) NewConsole(opt ConsoleOptions) (*Console, error) {
	where := opt.ViewsDir
	if where == "" {
		where = a.cfg.Views
	}
	store, notices, err := a.openViews(where)
	if err != nil {
		return nil, err
	}
	c := &Console{fleet: a.view(), timeout: opt.Timeout, notices: notices}
	if c.timeout <= 0 {
		c.timeout = 3 * time.Second
	}
	c.windows.Store(&ui.Windows{})
	c.tree = tree.New(c.fleet, tree.Options{})
	ev := &query.Evaluator{Origins: []query.Origin{{Name: "fleettop", Source: c.tree}}}
	if a.web != nil {
		ev.Origins = append(ev.Origins, query.Origin{Name: "graphite", Source: remoteSource{a.web}})
	}
	c.session = &query.Session{Eval: ev, Views: store, Vars: map[string]string{}}
	c.th.engine = events.New(ev, events.Options{Now: func() time.Time { return c.th.at }})
	if opt.HistoryPath != "" {
		if h, err := query.OpenHistory(opt.HistoryPath, 1000); err == nil {
			c.history = h
			c.session.History = h
		}
	}
	return c, nil
}

// Notices are the problems met while setting up (a views directory that could not be opened).
func (c *Console) Notices() []string { return c.notices }

// Refresh brings the metric tree up to the model's latest snapshot (`fleettop run` after filling the model).
func (c *Console) Refresh() { c.tree.Refresh() }

// Run runs one line (ui.Console): the model applies group-by changes; what belongs to the dashboard (theme,
// filter, clear, refresh, an inline chart, bringing the windows forward) comes back as actions. Remote fetches
// are bounded by ConsoleOptions.Timeout, and the windows are redrawn in the background.
func (c *Console) Run(line string) (ui.Reply, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	c.tree.Refresh()
	c.sessMu.Lock()
	if c.history != nil && strings.TrimSpace(line) != "" {
		_ = c.history.Add(line)
	}
	defer c.sessMu.Unlock()
	before := slices.Clone(c.session.Windows) // a command edits windows in place, each into a fresh clone
	res, err := c.session.Execute(ctx, line)
	if err != nil {
		return ui.Reply{}, err
	}
	rep := ui.Reply{Output: res.Output}
	for _, e := range res.Effects {
		switch e := e.(type) {
		case query.SetTheme:
			rep.Actions = append(rep.Actions, ui.SwitchTheme{Name: e.Name})
		case query.Filter:
			rep.Actions = append(rep.Actions, ui.FilterTable{Expr: e.Expr, Invert: e.Invert})
		case query.Clear:
			rep.Actions = append(rep.Actions, ui.ClearMessages{})
		case query.Inline:
			rep.Actions = append(rep.Actions, ui.ShowChart{Window: windowData(e.Window, c.session.Render(ctx, e.Window))})
		case query.GroupBy:
			c.fleet.SetGroupBy(e.Key)
			rep.Output += "\ngrouping by " + e.Key
		case query.SetRefresh:
			rep.Actions = append(rep.Actions, ui.SetRefresh{Every: e.Every})
			rep.Output += "\nrefresh every " + e.Every.String()
		}
	}
	if !reflect.DeepEqual(before, c.session.Windows) {
		rep.Actions = append(rep.Actions, ui.ShowWindows{})
		c.publishLoading(before)
	}
	rep.Output = strings.TrimSpace(rep.Output)
	c.mu.Lock()
	c.dirty = true
	c.mu.Unlock()
	c.redrawAsync()
	return rep, nil
}

// RunScript runs a script of command lines (`fleettop run`), printing what each prints, with time ranges
// counting back from the model's clock and `source` finding files relative to dir.
func (c *Console) RunScript(ctx context.Context, script io.Reader, dir string, out io.Writer) error {
	c.tree.Refresh()
	c.sessMu.Lock()
	defer c.sessMu.Unlock()
	if s := c.fleet.Snapshot(); s != nil && !s.Time.IsZero() {
		clock := s.Time
		c.session.Now = func() time.Time { return clock }
	}
	c.session.Dir = dir
	return query.RunScriptContext(ctx, script, c.session, out)
}

// Complete completes a line at the cursor (ui.Console).
func (c *Console) Complete(line string, cursor int) (string, []string) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	c.tree.Refresh()
	c.sessMu.Lock()
	defer c.sessMu.Unlock()
	return c.session.Complete(ctx, line, cursor)
}

// History is the lines run so far (ui.Console); nil without a history file.
func (c *Console) History() *query.History { return c.history }

// Views lists the saved views in the order keys 1-9 load them (ui.Console).
func (c *Console) Views() []string {
	c.sessMu.Lock()
	vs, _ := c.session.Views.List()
	c.sessMu.Unlock()
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.Name
	}
	return names
}

// Windows returns the windows as last drawn (ui.Console). When the model published since, or a command
// changed them, it starts a redraw in the background; the dashboard shows the new drawing on a later tick.
func (c *Console) Windows() *ui.Windows {
	snap := c.fleet.Snapshot()
	c.mu.Lock()
	stale := c.dirty || (snap != nil && snap.Time.After(c.drawnAt))
	c.mu.Unlock()
	if stale {
		c.redrawAsync()
	}
	return c.windows.Load()
}

// redrawAsync starts a background redraw unless one is running.
func (c *Console) redrawAsync() {
	if !c.redrawing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer c.redrawing.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		c.tree.Refresh()
		c.Redraw(ctx)
	}()
}

// Redraw evaluates every window's targets now and publishes the drawing (tests, and the seed lines of the kiosk,
// which should show at once).
func (c *Console) Redraw(ctx context.Context) {
	at := time.Now()
	if s := c.fleet.Snapshot(); s != nil {
		at = s.Time
	}
	c.mu.Lock()
	c.dirty = false
	c.mu.Unlock()
	c.sessMu.Lock()
	wins := slices.Clone(c.session.Windows)
	c.sessMu.Unlock()
	list := make([]ui.WindowData, 0, len(wins))
	for _, w := range wins {
		list = append(list, windowData(w, c.session.Render(ctx, w)))
	}
	c.mu.Lock()
	c.drawnAt = at
	c.windows.Store(&ui.Windows{Version: c.windows.Load().Version + 1, List: list})
	c.mu.Unlock()
}

// windowData turns a rendered window into what the dashboard draws.
func windowData(w query.Window, drawn []query.Drawn) ui.WindowData {
	wd := ui.WindowData{Name: w.Name, Title: w.Title, From: w.From, Until: w.Until}
	if wd.Title == "" {
		wd.Title = w.Name
	}
	var errs []string
	for _, d := range drawn {
		if d.Err != nil {
			errs = append(errs, d.Err.Error())
		}
		for _, s := range d.Series {
			wd.Series = append(wd.Series, ui.ChartSeries{Name: s.Name, Points: s.Values})
			if n := len(s.Values); n > 0 && s.Step > 0 {
				start := time.Unix(s.Start, 0)
				end := time.Unix(s.Start+int64(n-1)*s.Step, 0)
				if wd.Start.IsZero() || start.Before(wd.Start) {
					wd.Start = start
				}
				if end.After(wd.End) {
					wd.End = end
				}
			}
		}
	}
	wd.Err = strings.Join(errs, "; ")
	return wd
}
