package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fleettop/fleettop/feeds/graphite"
	"github.com/fleettop/fleettop/model/query"
	"github.com/fleettop/fleettop/model/tree"
	"github.com/fleettop/fleettop/model/views"
	"github.com/fleettop/fleettop/ui"
)

// console is the command line of the dashboard and of `fleettop run`: a query.Session over the local metric tree
// (and graphite-web when configured), with its effects applied to the model. It implements ui.CommandLine and
// ui.Controller.
type console struct {
	fleet   view
	tree    *tree.Tree
	session *query.Session
	history *query.History

	refresh atomic.Int64 // ns; 0 = the UI's default

	notices []string // problems met while setting up, for the status line

	sessMu sync.Mutex // the session is changed by commands and read by background redraws

	mu        sync.Mutex
	windows   []ui.WindowData
	drawnAt   time.Time
	dirty     bool        // a command changed the windows since the last redraw began
	redrawing atomic.Bool // a background redraw is running
}

// newConsole builds the session: local origin "fleettop" over the tree, "graphite" over graphite-web.
func newConsole(fleet view, web *graphite.Web, viewsDir string, historyPath string) (*console, error) {
	c := &console{fleet: fleet}
	c.tree = tree.New(fleet, tree.Options{})
	ev := &query.Evaluator{Origins: []query.Origin{{Name: "fleettop", Source: c.tree}}}
	if web != nil {
		ev.Origins = append(ev.Origins, query.Origin{Name: "graphite", Source: remoteSource{web}})
	}
	if viewsDir == "" {
		d, err := views.DefaultDir()
		if err != nil {
			return nil, err
		}
		viewsDir = d
	}
	store, err := views.Open(viewsDir) // removes what saves killed mid-write left
	if err != nil {
		c.notices = append(c.notices, err.Error())
	}
	c.session = &query.Session{Eval: ev, Views: store, Vars: map[string]string{}}
	if historyPath != "" {
		h, err := query.OpenHistory(historyPath, 1000)
		if err == nil {
			c.history = h
			c.session.History = h
		}
	}
	return c, nil
}

// Exec runs one line and redraws the windows before it returns (`fleettop run`, tests): its output, with what
// it asked of the dashboard applied to the model.
func (c *console) Exec(line string) (string, error) {
	rep, err := c.execute(line, 15*time.Second)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		c.redraw(ctx)
		cancel()
	}
	return rep.Output, err
}

// Run runs one line for the dashboard (ui.CommandRunner): the model applies group-by and refresh changes; what
// belongs to the dashboard (theme, filter, clear, an inline chart) comes back as actions. Remote fetches are
// bounded by a short timeout, and the windows are redrawn in the background, so a slow graphite-web never
// holds the screen.
func (c *console) Run(line string) (ui.Reply, error) {
	rep, err := c.execute(line, 3*time.Second)
	if err == nil && drawsIntoWindow(line) {
		// the window on screen shows the data: the series listing would only cover it
		rep.Output, _, _ = strings.Cut(rep.Output, "\n")
	}
	c.mu.Lock()
	c.dirty = true
	c.mu.Unlock()
	c.redrawAsync()
	return rep, err
}

// drawsIntoWindow reports whether line draws or adds targets into a named window.
func drawsIntoWindow(line string) bool {
	cmd, err := query.ParseCommand(line)
	if err != nil {
		return false
	}
	switch cmd := cmd.(type) {
	case query.Draw:
		return cmd.Window != ""
	case query.Add:
		return true
	}
	return false
}

func (c *console) execute(line string, timeout time.Duration) (ui.Reply, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c.tree.Refresh()
	c.sessMu.Lock()
	defer c.sessMu.Unlock()
	if c.history != nil && strings.TrimSpace(line) != "" {
		_ = c.history.Add(line)
	}
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
			c.refresh.Store(int64(e.Every))
			rep.Output += "\nrefresh every " + e.Every.String()
		}
	}
	rep.Output = strings.TrimSpace(rep.Output)
	return rep, nil
}

// Complete completes a line at the cursor (ui.CommandLine).
func (c *console) Complete(line string, cursor int) (string, []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c.tree.Refresh()
	c.sessMu.Lock()
	defer c.sessMu.Unlock()
	return c.session.Complete(ctx, line, cursor)
}

// History is the lines run so far (ui.CommandLine).
func (c *console) History() []string {
	if c.history == nil {
		return nil
	}
	return c.history.Entries()
}

// Views lists the saved views in the order keys 1-9 load them (ui.CommandLine).
func (c *console) Views() []string {
	c.sessMu.Lock()
	vs, _ := c.session.Views.List()
	c.sessMu.Unlock()
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.Name
	}
	return names
}

// Windows returns the windows as last drawn (ui.CommandLine). When the model published since, or a command
// changed them, it starts a redraw in the background; the dashboard shows the new drawing on a later tick.
func (c *console) Windows() []ui.WindowData {
	snap := c.fleet.Snapshot()
	c.mu.Lock()
	stale := c.dirty || (snap != nil && snap.Time.After(c.drawnAt))
	ws := c.windows
	c.mu.Unlock()
	if stale {
		c.redrawAsync()
	}
	return ws
}

// redrawAsync starts a background redraw unless one is running.
func (c *console) redrawAsync() {
	if !c.redrawing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer c.redrawing.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		c.tree.Refresh()
		c.redraw(ctx)
	}()
}

// redraw evaluates every window's targets.
func (c *console) redraw(ctx context.Context) {
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
	ws := make([]ui.WindowData, 0, len(wins))
	for _, w := range wins {
		ws = append(ws, windowData(w, c.session.Render(ctx, w)))
	}
	c.mu.Lock()
	c.windows, c.drawnAt = ws, at
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

// SetGroupBy regroups the fleet (ui.Controller).
func (c *console) SetGroupBy(field string) error {
	if field == "" {
		return fmt.Errorf("no field to group by")
	}
	c.fleet.SetGroupBy(field)
	return nil
}

// RefreshInterval is the refresh asked for with `set refresh` (ui.Controller).
func (c *console) RefreshInterval() time.Duration { return time.Duration(c.refresh.Load()) }
