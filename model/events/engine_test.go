package events_test

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/model/events"
	"github.com/fleettop/fleettop/model/query"
)

// gauges is a query.Source of series whose value is set by the test, one point per Fetch at the clock's
// time: what the metric tree serves of the latest snapshot.
type gauges map[string]float64

func (g gauges) Children(_ context.Context, prefix string) ([]query.Node, error) {
	seen := map[string]bool{}
	var out []query.Node
	for path := range g {
		rest := path
		if prefix != "" {
			if !strings.HasPrefix(path, prefix+".") {
				continue
			}
			rest = path[len(prefix)+1:]
		}
		head, _, more := strings.Cut(rest, ".")
		full := head
		if prefix != "" {
			full = prefix + "." + head
		}
		if !seen[full] {
			seen[full] = true
			out = append(out, query.Node{Path: full, Leaf: !more})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func (g gauges) Find(ctx context.Context, pattern string) ([]query.Node, error) {
	return query.FindInTree(ctx, g, pattern)
}

func (g gauges) Fetch(_ context.Context, paths []string, _, until time.Time) ([]query.Series, error) {
	var out []query.Series
	for _, p := range paths {
		if v, ok := g[p]; ok {
			out = append(out, query.Series{Name: p, Start: until.Unix() - 1, Step: 1, Values: []float64{v}})
		}
	}
	return out, nil
}

// clock is the injected clock: the time of the snapshot evaluated.
type clock struct{ t time.Time }

func (c *clock) now() time.Time       { return c.t }
func (c *clock) tick(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                { return &clock{t: time.Unix(1_800_000_000, 0)} }
func th(name, target, op string, v float64, d time.Duration) query.Threshold {
	return query.Threshold{Name: name, Target: target, Op: op, Value: v, For: d}
}

func newEngine(g gauges, c *clock, opt events.Options) *events.Engine {
	opt.Now = c.now
	return events.New(&query.Evaluator{Origins: []query.Origin{{Name: "local", Source: g}}}, opt)
}

// A value hovering at the line raises once, and clears once it comes back past the clear line (10 % below).
func TestHysteresis(t *testing.T) {
	g := gauges{"groups.web.http.5xx_pct": 0}
	c := newClock()
	e := newEngine(g, c, events.Options{})
	ths := []query.Threshold{th("web_5xx", "groups.web.http.5xx_pct", ">", 5, 0)}
	var got []events.Event
	for _, v := range []float64{1, 5.1, 4.9, 5.2, 4.6, 5.3, 4.51, 5.0, 4.5, 4.9, 5.1} {
		g["groups.web.http.5xx_pct"] = v
		got = append(got, e.Step(context.Background(), ths)...)
		c.tick(5 * time.Second)
	}
	if len(got) != 3 {
		t.Fatalf("events %+v, want raised at 5.1, cleared at 4.5, raised at 5.1", got)
	}
	want := []struct {
		kind  events.Kind
		value float64
		at    time.Duration
	}{{events.Raised, 5.1, 5 * time.Second}, {events.Cleared, 4.5, 40 * time.Second}, {events.Raised, 5.1, 50 * time.Second}}
	start := newClock().t
	for i, w := range want {
		ev := got[i]
		if ev.Kind != w.kind || ev.Value != w.value || ev.Time.Sub(start) != w.at || ev.Group != "web" || ev.Host != "" ||
			ev.Threshold != "web_5xx" || ev.Line != 5 || ev.ClearLine != 4.5 {
			t.Errorf("event %d: %+v, want %s at %v of %v", i, ev, w.kind, w.at, w.value)
		}
	}
	if got[1].Since != got[0].Time {
		t.Errorf("the clearing event's since %v, want the raising time %v", got[1].Since, got[0].Time)
	}
	l := e.Log()
	if len(l.Recent) != 3 || len(l.Active) != 1 || l.Active[0] != got[2] {
		t.Fatalf("log %+v", l)
	}
}

// `for D` raises only once the value stayed beyond the line for D; a dip starts the wait again.
func TestForDuration(t *testing.T) {
	g := gauges{"groups.db.cpu.utilisation": 0}
	c := newClock()
	start := c.t
	e := newEngine(g, c, events.Options{})
	ths := []query.Threshold{th("db_cpu", "groups.db.cpu.utilisation", ">=", 90, 30*time.Second)}
	var got []events.Event
	// beyond for 25 s, a dip, then beyond from 35 s on
	for i, v := range []float64{95, 95, 95, 95, 95, 95, 50, 95, 95, 95, 95, 95, 95, 95, 95} {
		g["groups.db.cpu.utilisation"] = v
		for _, ev := range e.Step(context.Background(), ths) {
			got = append(got, ev)
			if ev.Time.Sub(start) != time.Duration(i)*5*time.Second {
				t.Fatalf("clock")
			}
		}
		c.tick(5 * time.Second)
	}
	if len(got) != 1 || got[0].Kind != events.Raised || got[0].Time.Sub(start) != 65*time.Second || got[0].Since.Sub(start) != 35*time.Second {
		t.Fatalf("events %+v, want one raised at 65 s, beyond since 35 s", got)
	}
}

// A glob raises one event per series that crosses, attributed to its group or host; a series that goes away
// while raised clears with no data; a removed threshold forgets its series without an event.
func TestGlobSeriesAndGone(t *testing.T) {
	g := gauges{
		"groups.web.http.5xx_pct": 9, "groups.imageserver.http.5xx_pct": 1, "groups.db.http.5xx_pct": 12,
		"fleet.web.web01.cpu.utilisation": 99, "fleet.web.web02.cpu.utilisation": 10,
	}
	c := newClock()
	e := newEngine(g, c, events.Options{})
	ths := []query.Threshold{th("any_5xx", "groups.*.http.5xx_pct", ">", 5, 0), th("hot", "fleet.*.*.cpu.utilisation", ">", 95, 0)}
	got := e.Step(context.Background(), ths)
	var subjects []string
	for _, ev := range got {
		subjects = append(subjects, ev.Threshold+" "+ev.Subject())
	}
	if want := []string{"any_5xx db", "any_5xx web", "hot web/web01"}; !reflect.DeepEqual(subjects, want) {
		t.Fatalf("subjects %v, want %v", subjects, want)
	}
	c.tick(5 * time.Second)
	delete(g, "groups.db.http.5xx_pct")
	got = e.Step(context.Background(), ths)
	if len(got) != 1 || got[0].Kind != events.Cleared || !got[0].NoData || got[0].Group != "db" {
		t.Fatalf("a gone series: %+v", got)
	}
	c.tick(5 * time.Second)
	if got = e.Step(context.Background(), ths[:1]); len(got) != 0 {
		t.Fatalf("removing a threshold raised %+v", got)
	}
	if l := e.Log(); len(l.Active) != 1 || l.Active[0].Group != "web" {
		t.Fatalf("active after removal: %+v", l.Active)
	}
	// redefined, the series starts afresh: with a `for` it is no longer raised, and no event says so
	c.tick(5 * time.Second)
	redefined := []query.Threshold{th("any_5xx", "groups.*.http.5xx_pct", ">", 5, time.Minute)}
	if got = e.Step(context.Background(), redefined); len(got) != 0 || len(e.Log().Active) != 0 {
		t.Fatalf("redefinition: %+v, active %+v", got, e.Log().Active)
	}
}

// Nothing new, nothing published; Recent keeps at most MaxRecent events; a failing target is reported and
// keeps its series' state.
func TestLogBounds(t *testing.T) {
	g := gauges{"a.x": 0}
	c := newClock()
	e := newEngine(g, c, events.Options{MaxRecent: 4})
	ths := []query.Threshold{th("t", "a.x", ">", 5, 0)}
	for i := range 10 {
		g["a.x"] = float64(10 * (i % 2))
		e.Step(context.Background(), ths)
		c.tick(time.Second)
	}
	l := e.Log()
	if len(l.Recent) != 4 || l.Version != 9 || l.Recent[3].Kind != events.Raised || l.Recent[3].Time != c.t.Add(-time.Second) {
		t.Fatalf("log version %d, recent %+v", l.Version, l.Recent)
	}
	e.Step(context.Background(), ths) // 0 again: cleared
	v := e.Log().Version
	e.Step(context.Background(), ths)
	if e.Log().Version != v {
		t.Fatal("a step with no event published a new log")
	}
	bad := append(ths, th("broken", "nosuchfn(a.x)", ">", 1, 0))
	e.Step(context.Background(), bad)
	if l := e.Log(); len(l.Errors) != 1 || !strings.Contains(l.Errors[0], "broken") {
		t.Fatalf("errors %v", l.Errors)
	}
}

func TestMaxSeries(t *testing.T) {
	g := gauges{"a.x": 10, "a.y": 10, "a.z": 10}
	e := newEngine(g, newClock(), events.Options{MaxSeries: 2})
	got := e.Step(context.Background(), []query.Threshold{th("t", "a.*", ">", 5, 0)})
	if len(got) != 2 || got[0].Series != "a.x" || got[1].Series != "a.y" || len(e.Log().Errors) != 1 {
		t.Fatalf("events %+v errors %v", got, e.Log().Errors)
	}
}

func TestEventJSON(t *testing.T) {
	at := time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC)
	ev := events.Event{Time: at, Kind: events.Raised, Threshold: "web_5xx", Target: "groups.*.http.5xx_pct",
		Series: "groups.web.http.5xx_pct", Group: "web", Value: 31.5, Op: ">", Line: 5, ClearLine: 4.5, Since: at.Add(-30 * time.Second)}
	var back events.Event
	if err := json.Unmarshal(ev.JSON(), &back); err != nil || back != ev {
		t.Fatalf("round trip: %v %+v", err, back)
	}
	if !strings.Contains(string(ev.JSON()), `"time":"2026-12-02T14:00:00Z","kind":"raised","threshold":"web_5xx"`) {
		t.Fatalf("json %s", ev.JSON())
	}
	if got, want := ev.String(), "2026-12-02T14:00:00Z raised web_5xx web groups.web.http.5xx_pct=31.5 > 5 (clears at 4.5)"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
	ev.Value = math.NaN()
	if !json.Valid(ev.JSON()) {
		t.Fatalf("NaN value: %s", ev.JSON())
	}
}

// One step of a group-level threshold over 100 groups, half of them flapping across the line.
func BenchmarkStep100Groups(b *testing.B) {
	g := gauges{}
	for i := range 100 {
		g["groups.g"+strconv.Itoa(i)+".http.5xx_pct"] = 1
	}
	c := newClock()
	e := newEngine(g, c, events.Options{})
	ths := []query.Threshold{th("any_5xx", "groups.*.http.5xx_pct", ">", 5, 0)}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		for i := range 50 {
			g["groups.g"+strconv.Itoa(i)+".http.5xx_pct"] = float64(10 * (n % 2))
		}
		e.Step(context.Background(), ths)
		c.tick(time.Second)
	}
}
