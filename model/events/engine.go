package events

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fleettop/fleettop/model/query"
)

// Options tune an Engine; zero fields take the defaults.
type Options struct {
	// Now is the clock: the time of the snapshot being evaluated (the model's clock, which a replay or a
	// simulation sets). nil is time.Now.
	Now func() time.Time
	// Lookback is how far back a series' last value is looked for; a series with no value in it has no data.
	Lookback time.Duration
	// MaxSeries bounds the series one threshold follows (the first by name); beyond it the rest are not
	// evaluated and Log.Errors says so.
	MaxSeries int
	// MaxRecent bounds the events Log.Recent keeps.
	MaxRecent int
}

// Defaults of Options.
const (
	DefaultLookback  = time.Minute
	DefaultMaxSeries = 1000
	DefaultMaxRecent = 500
)

func (o *Options) fill() {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Lookback <= 0 {
		o.Lookback = DefaultLookback
	}
	if o.MaxSeries <= 0 {
		o.MaxSeries = DefaultMaxSeries
	}
	if o.MaxRecent <= 0 {
		o.MaxRecent = DefaultMaxRecent
	}
}

// Log is one publication of the events, for the dashboard: it never changes once published, and a new one
// comes with a new Version.
type Log struct {
	Version uint64
	Recent  []Event  // the latest events, oldest first, at most Options.MaxRecent
	Active  []Event  // the raised events not cleared yet, by threshold and series
	Errors  []string // thresholds whose target could not be evaluated at the last step
}

// Latest is the newest event, and false when there is none.
func (l *Log) Latest() (Event, bool) {
	if l == nil || len(l.Recent) == 0 {
		return Event{}, false
	}
	return l.Recent[len(l.Recent)-1], true
}

// Engine follows every series of every threshold from snapshot to snapshot. Step is called once per snapshot
// (from one goroutine at a time); Log may be read from any goroutine.
//
// A series is raised when its value has been beyond the threshold at every step for at least the
// threshold's For (measured on the clock), and cleared when its value is no longer beyond the clear line, or
// when it has no value within Lookback. Between the two lines nothing changes: a value hovering at the
// threshold raises once and clears once. Memory: at most MaxThresholds × MaxSeries series states and
// MaxRecent events.
type Engine struct {
	eval *query.Evaluator
	opt  Options

	mu     sync.Mutex
	states map[stateKey]*seriesState
	recent []Event
	log    atomic.Pointer[Log]
}

type stateKey struct{ threshold, series string }

// seriesState is where one series stands against one threshold.
type seriesState struct {
	def    query.Threshold // the definition it was followed under: a redefinition starts afresh
	since  time.Time       // when the value went beyond the line; zero when it is not
	active bool            // raised and not cleared
	raised Event           // the raising event, while active
	seen   bool            // had a value at this step
}

// New returns an engine evaluating targets with eval (the windows' evaluator: the same sources).
func New(eval *query.Evaluator, opt Options) *Engine {
	opt.fill()
	e := &Engine{eval: eval, opt: opt, states: map[stateKey]*seriesState{}}
	e.log.Store(&Log{})
	return e
}

// Log is the latest publication (never nil).
func (e *Engine) Log() *Log { return e.log.Load() }

// Step evaluates the thresholds at the clock's time and returns the events raised and cleared, in threshold
// and series order. A threshold whose target fails is reported in Log.Errors; its series keep their state.
func (e *Engine) Step(ctx context.Context, thresholds []query.Threshold) []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.opt.Now()
	var out []Event
	var errs []string
	dropped := false // an active series forgotten without an event (its threshold removed or redefined)
	failed := map[string]bool{}
	for _, st := range e.states {
		st.seen = false
	}
	for _, th := range thresholds {
		list, err := e.eval.Eval(ctx, query.Target{Expr: th.Target}, now.Add(-e.opt.Lookback), now)
		if err != nil {
			errs = append(errs, fmt.Sprintf("threshold %s: %v", th.Name, err))
			failed[th.Name] = true
			continue
		}
		slices.SortFunc(list, func(a, b query.Series) int { return cmp.Compare(a.Name, b.Name) })
		if len(list) > e.opt.MaxSeries {
			errs = append(errs, fmt.Sprintf("threshold %s: %d series, only the first %d followed", th.Name, len(list), e.opt.MaxSeries))
			list = list[:e.opt.MaxSeries]
		}
		for _, s := range list {
			v, ok := s.Last()
			if !ok {
				continue // no data: handled with the series that are gone
			}
			k := stateKey{th.Name, s.Name}
			st := e.states[k]
			if st == nil || !sameThreshold(st.def, th) {
				dropped = dropped || st != nil && st.active
				st = &seriesState{def: th}
				e.states[k] = st
			}
			st.seen = true
			if ev, ok := st.step(now, s.Name, v); ok {
				out = append(out, ev)
			}
		}
	}
	defined := map[string]bool{}
	for _, th := range thresholds {
		defined[th.Name] = true
	}
	for k, st := range e.states {
		if st.seen || failed[k.threshold] {
			continue
		}
		if st.active && defined[k.threshold] {
			ev := st.raised
			ev.Kind, ev.Time, ev.Value, ev.NoData, ev.Since = Cleared, now, 0, true, st.raised.Time
			out = append(out, ev)
		}
		dropped = dropped || st.active
		delete(e.states, k) // gone, no data, or its threshold removed
	}
	slices.SortStableFunc(out, func(a, b Event) int {
		return cmp.Or(cmp.Compare(a.Threshold, b.Threshold), cmp.Compare(a.Series, b.Series))
	})
	e.publish(out, errs, dropped)
	return out
}

// step moves one series with value v at now; it returns the event it raised or cleared.
func (st *seriesState) step(now time.Time, series string, v float64) (Event, bool) {
	th := st.def
	if st.active {
		if !th.Cleared(v) {
			return Event{}, false
		}
		ev := st.raised
		ev.Kind, ev.Time, ev.Value, ev.Since = Cleared, now, v, st.raised.Time
		st.active, st.since, st.raised = false, time.Time{}, Event{}
		return ev, true
	}
	if !th.Beyond(v) {
		st.since = time.Time{}
		return Event{}, false
	}
	if st.since.IsZero() {
		st.since = now
	}
	if now.Sub(st.since) < th.For {
		return Event{}, false
	}
	group, host := attribute(series)
	ev := Event{Time: now, Kind: Raised, Threshold: th.Name, Target: th.Target, Series: series, Group: group,
		Host: host, Value: v, Op: th.Op, Line: th.Value, ClearLine: th.ClearLine(), Since: st.since}
	st.active, st.raised = true, ev
	return ev, true
}

// publish makes a new Log with the step's events, when anything changed. Caller holds e.mu.
func (e *Engine) publish(evs []Event, errs []string, dropped bool) {
	prev := e.log.Load()
	if len(evs) == 0 && !dropped && slices.Equal(errs, prev.Errors) {
		return
	}
	e.recent = append(e.recent, evs...)
	if over := len(e.recent) - e.opt.MaxRecent; over > 0 {
		e.recent = append(e.recent[:0:0], e.recent[over:]...)
	}
	l := &Log{Version: prev.Version + 1, Recent: slices.Clip(e.recent), Errors: errs}
	for _, st := range e.states {
		if st.active {
			l.Active = append(l.Active, st.raised)
		}
	}
	slices.SortFunc(l.Active, func(a, b Event) int {
		return cmp.Or(cmp.Compare(a.Threshold, b.Threshold), cmp.Compare(a.Series, b.Series))
	})
	e.log.Store(l)
}

// sameThreshold reports whether two definitions follow a series the same way (a view loaded again gives equal
// ones with other pointers).
func sameThreshold(a, b query.Threshold) bool {
	return a.Name == b.Name && a.Target == b.Target && a.Op == b.Op && a.Value == b.Value && a.For == b.For &&
		a.ClearLine() == b.ClearLine()
}
