package ui

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// A model that stops publishing shows: after two refresh intervals without a new snapshot the status line
// carries a STALE badge with the time since the last one, until a new snapshot arrives.
func TestStaleBadge(t *testing.T) {
	var now atomic.Int64
	now.Store(fixedNow().UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	m, src, _ := newModelEnv(t, Options{Now: clock, Refresh: time.Second, Environ: []string{}}, 120, 40)
	tick := func(d time.Duration) string {
		now.Add(int64(d))
		m.Update(dataTickMsg{})
		return ansi.Strip(m.statusLine(120))
	}
	if line := tick(0); strings.Contains(line, "STALE") {
		t.Fatalf("a fresh snapshot is marked stale: %q", line)
	}
	if line := tick(2 * time.Second); strings.Contains(line, "STALE") {
		t.Fatalf("two refresh intervals are not yet stale: %q", line)
	}
	line := tick(1500 * time.Millisecond)
	if !strings.HasSuffix(line, " STALE 3s ") {
		t.Fatalf("3.5 s without a snapshot: %q, want the STALE 3s badge", line)
	}
	golden(t, "status-stale-120", line)
	src.publish(1)
	if line := tick(100 * time.Millisecond); strings.Contains(line, "STALE") {
		t.Fatalf("a new snapshot arrived, still stale: %q", line)
	}
}

// What the model's bounds refused shows in the status line once there is some.
func TestRefusedInStatusLine(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 160, 48)
	m.Update(dataTickMsg{})
	if line := ansi.Strip(m.statusLine(160)); strings.Contains(line, "refused") {
		t.Fatalf("nothing refused, yet: %q", line)
	}
	s := *m.snap
	s.Version++
	s.Health.RefusedAgents, s.Health.RefusedSources = 1200, 34
	m.apply(&s)
	if line := ansi.Strip(m.statusLine(160)); !strings.Contains(line, "refused 1234") {
		t.Fatalf("status line %q lacks refused 1234", line)
	}
}
