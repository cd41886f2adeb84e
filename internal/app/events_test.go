package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/model/events"
)

// thresholdScript is what an on-call engineer would write: group-level, with a `for` so that a blip does not
// page.
const thresholdScript = `# page when a group answers more than 5 % errors for 30 s
threshold surge groups.*.http.5xx_pct > 5 for 30s
thresholds
`

// The demo's 5xx surges, simulated over ten minutes (three surges) on the simulation's clock: a script defines the
// threshold, and each surge raises exactly one event on the surging group, at least 30 s after the surge began
// and before it ended, and clears it exactly once shortly after it ended; nothing else raises. The ground
// truth is the simulator's own incident script.
func TestSurgesRaiseOneEventEach(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("simulates three incident cycles of the demo fleet (run without -short and -race by .ci/run)")
	}
	ctx := context.Background()
	f := sim.New(sim.Options{Seed: 5, Hosts: 24, Start: time.Unix(1767225600, 0)})
	a, con := newAppConsole(t, Config{GroupBy: "appType", ENC: ENCConfig{Source: enc.NewStaticSource(f.ENC()), Timeout: 5 * time.Second}})
	var out strings.Builder
	if err := con.RunScript(ctx, strings.NewReader(thresholdScript), "", &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "surge: groups.*.http.5xx_pct > 5 for 30s, clears at 4.5") {
		t.Fatalf("script output %q", out.String())
	}
	start := f.Now()
	run := 2*sim.DefaultCycle + 2*time.Minute // three surges: 0:15-1:00, 4:15-5:00, 8:15-9:00
	var got []events.Event
	err := Simulate(ctx, f, a.fleet, run, func() {
		got = append(got, con.EvaluateThresholds(ctx)...)
	})
	if err != nil {
		t.Fatal(err)
	}

	// The ground truth: every 5xx surge of the run, from the simulator's script.
	type surge struct {
		app        string
		start, end time.Time
	}
	var surges []surge
	for at := start; at.Before(start.Add(run)); at = at.Add(time.Second) {
		inc := f.IncidentAt(at)
		if inc.Kind == sim.ErrorSurge && (len(surges) == 0 || !surges[len(surges)-1].start.Equal(inc.Start)) {
			surges = append(surges, surge{inc.AppType, inc.Start, inc.End})
		}
	}
	if len(surges) != 3 || surges[0].app == surges[1].app {
		t.Fatalf("the run has surges %+v, want three, on both groups", surges) // seed 5: imageserver, web, web
	}
	const lag = 20 * time.Second // a host's counters come every 5 s, the groups' points every 5 s
	if len(got) != 2*len(surges) {
		t.Fatalf("%d events for %d surges, want a raise and a clear each:\n%s", len(got), len(surges), eventLines(got))
	}
	for i, s := range surges {
		raised, cleared := got[2*i], got[2*i+1]
		series := "groups." + s.app + ".http.5xx_pct"
		if raised.Kind != events.Raised || raised.Series != series || raised.Group != s.app || raised.Value <= 5 {
			t.Errorf("surge %d on %s: first event %+v", i, s.app, raised)
		}
		if raised.Time.Before(s.start.Add(30*time.Second)) || !raised.Time.Before(s.end) {
			t.Errorf("surge %d [%v, %v): raised at %v, want 30 s after its start and before its end", i,
				s.start.Sub(start), s.end.Sub(start), raised.Time.Sub(start))
		}
		if raised.Since.Before(s.start) || raised.Time.Sub(raised.Since) < 30*time.Second {
			t.Errorf("surge %d: beyond since %v, raised at %v", i, raised.Since.Sub(start), raised.Time.Sub(start))
		}
		if cleared.Kind != events.Cleared || cleared.Series != series || cleared.Value > 4.5 || cleared.NoData {
			t.Errorf("surge %d on %s: second event %+v", i, s.app, cleared)
		}
		if cleared.Time.Before(s.end) || cleared.Time.After(s.end.Add(lag)) {
			t.Errorf("surge %d ended at %v: cleared at %v", i, s.end.Sub(start), cleared.Time.Sub(start))
		}
	}
	if l := con.Events(); len(l.Active) != 0 || len(l.Recent) != len(got) || len(l.Errors) != 0 {
		t.Fatalf("log: %d active, %d recent, errors %v", len(l.Active), len(l.Recent), l.Errors)
	}
	t.Logf("events:\n%s", eventLines(got))
}

// newAppConsole builds an App from cfg, closed when the test ends, and a console over it.
func newAppConsole(t *testing.T, cfg Config) (*App, *Console) {
	t.Helper()
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	con, err := a.NewConsole(ConsoleOptions{ViewsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return a, con
}

func eventLines(evs []events.Event) string {
	var b strings.Builder
	for _, ev := range evs {
		b.Write(ev.JSON())
		b.WriteByte('\n')
	}
	return b.String()
}

// A hanging --on-event command holds neither the evaluation nor the publisher: while it hangs, snapshots are
// published and evaluated (a threshold removed clears from the log), and it is killed at its time limit.
func TestHangingOnEventHoldsNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds of real time: run without -short")
	}
	errc := make(chan error, 8)
	a, con := newAppConsole(t, Config{OnEvent: OnEventConfig{Command: []string{"sleep", "1000"}, Timeout: 5 * time.Second,
		OnError: func(err error) { errc <- err }}})
	if _, err := con.Run("threshold empty fleettop.fleet.hosts < 1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a.WatchEvents(ctx, con, nil)
	now := time.Unix(1767225600, 0)
	publish := func() {
		now = now.Add(time.Second)
		a.fleet.Publish(now)
	}
	waitUntil := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 10 s", what)
			}
			publish()
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitUntil("the event raised", func() bool { return len(con.Events().Active) == 1 })
	if _, err := con.Run("rmthreshold empty"); err != nil {
		t.Fatal(err)
	}
	waitUntil("the removed threshold's event gone", func() bool { return len(con.Events().Active) == 0 })
	if st := a.OnEventStats(); st.TimedOut != 0 || st.Ran != 0 {
		t.Fatalf("the command did not hang: %+v", st)
	}
	waitUntil("the command killed", func() bool { return a.OnEventStats().TimedOut == 1 })
	if err := <-errc; !strings.Contains(err.Error(), "killed after 5s") {
		t.Fatalf("error %v", err)
	}
}
