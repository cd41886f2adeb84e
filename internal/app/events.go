package app

import (
	"context"
	"slices"
	"time"

	"github.com/fleettop/fleettop/internal/onevent"
	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/model/events"
)

// OnEventConfig is the --on-event command: run once per event with the event's JSON on standard input.
type OnEventConfig struct {
	Command []string      // argv; empty for none
	Timeout time.Duration // of one run; 0 is onevent.DefaultTimeout
	// OnError, when set, is told of each run that failed or was killed (collect prints it; the dashboard
	// cannot).
	OnError func(error)
}

// eventPoll is how often the watcher looks for a new snapshot to evaluate the thresholds on: well under the
// publishing interval, so that each snapshot is evaluated.
const eventPoll = 200 * time.Millisecond

// evalTimeout bounds one evaluation of every threshold (a slow graphite-web behind a target).
const evalTimeout = 10 * time.Second

// thresholdState is the console's side of the thresholds: the engine over the windows' evaluator and the
// snapshot it last evaluated. Only EvaluateThresholds touches it, under evalMu.
type thresholdState struct {
	engine *events.Engine
	at     time.Time       // the clock of the engine: the time of the snapshot being evaluated
	last   *model.Snapshot // the last snapshot evaluated
}

// EvaluateThresholds evaluates the session's thresholds on the model's latest snapshot, once per snapshot, on
// the snapshot's clock, and returns the events it raised and cleared. It never waits for a command or the
// screen; its fetches are bounded by ctx and evalTimeout.
func (c *Console) EvaluateThresholds(ctx context.Context) []events.Event {
	c.evalMu.Lock()
	defer c.evalMu.Unlock()
	c.sessMu.Lock()
	ths := c.session.Thresholds // replaced, never changed in place, by the commands
	c.sessMu.Unlock()
	if len(ths) == 0 && len(c.th.engine.Log().Active) == 0 {
		return nil // nothing to evaluate: the tree is not even brought up to date
	}
	s := c.tree.Refresh()
	if s == nil || s == c.th.last {
		return nil
	}
	c.th.last, c.th.at = s, s.Time
	ctx, cancel := context.WithTimeout(ctx, evalTimeout)
	defer cancel()
	return c.th.engine.Step(ctx, slices.Clip(ths))
}

// Events is the latest publication of the events (ui.EventSource); never nil.
func (c *Console) Events() *events.Log { return c.th.engine.Log() }

// WatchEvents evaluates con's thresholds on every new snapshot until ctx ends, handing each event to the
// --on-event command (when configured) and to each (when not nil, e.g. collect's printer). It returns at once;
// the watcher stops with ctx or Close. Neither the publisher nor the dashboard ever waits for it.
func (a *App) WatchEvents(ctx context.Context, con *Console, each func(events.Event)) {
	ctx = a.goCtx(ctx)
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		t := time.NewTicker(eventPoll)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			for _, ev := range con.EvaluateThresholds(ctx) {
				if a.onEvent != nil {
					a.onEvent.Send(ev)
				}
				if each != nil {
					each(ev)
				}
			}
		}
	}()
}

// OnEventStats are the counts of the --on-event command's runs; zero without one.
func (a *App) OnEventStats() onevent.Stats {
	if a.onEvent == nil {
		return onevent.Stats{}
	}
	return a.onEvent.Stats()
}

// startOnEvent starts the --on-event runner when configured.
func (a *App) startOnEvent() error {
	oc := a.cfg.OnEvent
	if len(oc.Command) == 0 {
		return nil
	}
	r, err := onevent.Start(oc.Command, onevent.Options{Timeout: oc.Timeout, OnError: oc.OnError})
	if err != nil {
		return err
	}
	a.onEvent = r
	return nil
}

// closeOnEvent lets the queued events run for a moment, then kills what still runs.
func (a *App) closeOnEvent() {
	if a.onEvent == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	a.onEvent.Close(ctx)
}
