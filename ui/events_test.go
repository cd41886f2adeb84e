package ui

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fleettop/fleettop/model/events"
)

// eventFeed is an EventSource the test publishes logs into, as internal/app's Console does after each snapshot.
type eventFeed struct{ l atomic.Pointer[events.Log] }

func newEventFeed() *eventFeed {
	f := &eventFeed{}
	f.l.Store(&events.Log{})
	return f
}

func (f *eventFeed) Events() *events.Log { return f.l.Load() }

// rowLine is the styled line of the frame below the status line holding text, "" when none does.
func rowLine(frame, text string) string {
	for _, l := range strings.Split(frame, "\n")[1:] {
		if strings.Contains(stripANSI(l), text) {
			return l
		}
	}
	return ""
}

// A raised event shows in the status line, marks its group's row and its host's row while it lasts, and is
// listed in the Events pane (E); once cleared the status line says so and the marks go.
func TestFlowEvents(t *testing.T) {
	feed := newEventFeed()
	f := startFlowWith(t, 160, 48, Options{Events: feed}, false)
	bad := f.m.c.St.bad.on
	at := fixtureTime.Add(-time.Minute)
	web := events.Event{Time: at, Kind: events.Raised, Threshold: "web_5xx", Target: "groups.*.http.5xx_pct",
		Series: "groups.web.http.5xx_pct", Group: "web", Value: 32.04, Op: ">", Line: 5, ClearLine: 4.5, Since: at.Add(-30 * time.Second)}
	db := events.Event{Time: at.Add(5 * time.Second), Kind: events.Raised, Threshold: "hot_cpu", Target: "fleet.*.*.cpu.utilisation",
		Series: "fleet.db.db-01.cpu.utilisation", Group: "db", Host: "db-01", Value: 97, Op: ">=", Line: 95, ClearLine: 85.5, Since: at}
	feed.l.Store(&events.Log{Version: 1, Recent: []events.Event{web, db}, Active: []events.Event{db, web}})

	f.waitFor("the latest event in the status line", has("▲ hot_cpu db/db-01 97.0 >= 95 (2 active)"))
	if l := rowLine(f.m.Frame(), "web "); !strings.Contains(l, bad) {
		t.Errorf("the web group's row is not marked: %q", l)
	}
	if l := rowLine(f.m.Frame(), "lb "); strings.Contains(l, bad) {
		t.Errorf("the lb group's row is marked: %q", l)
	}

	f.keys("E")
	scr := f.waitFor("the Events pane", has("events (2, 2 active)", "ACTIVE", "web_5xx", "groups.web.http.5xx_pct",
		"db/db-01", "fleet.db.db-01.cpu.utilisation", ">= 95", web.Time.Format("15:04:05")))
	// newest first
	if strings.Index(scr, "hot_cpu") > strings.Index(scr, "web_5xx") {
		t.Errorf("the newest event is not first:\n%s", scr)
	}

	// Enter on the newest event opens its group's hosts, with the host marked
	f.keys("enter")
	f.waitFor("db's hosts", has("db (2 hosts)", "db-01", "db-02"))
	f.keys("down") // the cursor's row is painted as selected
	f.waitFor("db-01 marked", func(string) bool { return strings.Contains(rowLine(f.m.Frame(), "db-01"), bad) })
	if l := rowLine(f.m.Frame(), "db-02"); strings.Contains(l, bad) {
		t.Errorf("db-02's row is marked: %q", l)
	}
	f.keys("esc", "E")

	cleared := web
	cleared.Kind, cleared.Time, cleared.Value, cleared.Since = events.Cleared, at.Add(10*time.Second), 0.2, web.Time
	feed.l.Store(&events.Log{Version: 2, Recent: []events.Event{web, db, cleared}, Active: []events.Event{db}})
	f.waitFor("the clearing", has("▼ web_5xx web cleared", "events (3, 1 active)", "cleared", "raised"))
	f.keys("esc")
	f.waitFor("the overview", has("Groups"))
	if l := rowLine(f.m.Frame(), "web "); strings.Contains(l, bad) {
		t.Errorf("the web group's row is still marked after the clearing: %q", l)
	}
	if !strings.Contains(f.m.Screen(), "▼ web_5xx web cleared") {
		t.Errorf("status line:\n%s", f.m.Screen())
	}
}

// Without thresholds the pane says how to define one; the status line shows no event.
func TestFlowEventsEmpty(t *testing.T) {
	f := startFlowWith(t, 120, 40, Options{Events: newEventFeed()}, false)
	f.keys("E")
	scr := f.waitFor("the empty Events pane", has("events (0, 0 active)", "no events yet (:threshold NAME TARGET > VALUE"))
	if status, _, _ := strings.Cut(scr, "\n"); strings.Contains(status, "▲") || strings.Contains(status, "▼") {
		t.Errorf("an event in the status line: %s", status)
	}
}
