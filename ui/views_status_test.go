package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/fleettop/fleettop/model"
)

// Views shared over NATS show their state in the status line (down when NATS is); file views show nothing.
func TestSharedViewsInStatusLine(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 200, 48)
	m.Update(dataTickMsg{})
	if line := ansi.Strip(m.statusLine(200)); strings.Contains(line, "views") {
		t.Fatalf("views in files, yet: %q", line)
	}
	s := *m.snap
	s.Version++
	s.Health.Views = model.FeedHealth{Configured: true, Summary: "NATS down for 3s: bucket team as of 12:00:01"}
	m.apply(&s)
	if line := ansi.Strip(m.statusLine(200)); !strings.Contains(line, "views down") && !strings.Contains(line, "views NATS down") {
		t.Fatalf("status line %q does not say the views' NATS is down", line)
	}
}
