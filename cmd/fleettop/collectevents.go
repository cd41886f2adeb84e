package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/fleettop/fleettop/internal/app"
	"github.com/fleettop/fleettop/model/events"
)

// collectEvents runs collect's --script (threshold definitions, or `load VIEW` to take a saved view's) on a
// console over the model, and, when it defined any thresholds, evaluates them on every snapshot: each event is
// printed on stdout as a line (events.Event.String) and handed to --on-event. The script's own output goes to
// stderr, so that stdout holds health lines and events only.
func collectEvents(ctx context.Context, a *app.App, script string, stdout, stderr io.Writer) error {
	if script == "" {
		return nil
	}
	con, err := a.NewConsole(app.ConsoleOptions{}) // the views of --views
	if err != nil {
		return err
	}
	for _, n := range con.Notices() {
		fmt.Fprintf(stderr, "fleettop collect: warning: %s\n", n)
	}
	f, err := os.Open(script)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := con.RunScript(ctx, f, filepath.Dir(script), stderr); err != nil {
		return fmt.Errorf("%s: %w", script, err)
	}
	a.WatchEvents(ctx, con, func(ev events.Event) { fmt.Fprintln(stdout, ev.String()) })
	return nil
}

// lockedWriter serializes writes from collect's goroutines (health lines, events, errors).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
