package app

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
)

// After the warm-up the demo's first snapshot is filled: every appType a group with its traffic and a
// sparkline's worth of history (8 points at least), talkers, URLs and keys.
func TestWarmUpFillsTheFirstSnapshot(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates a minute of the demo fleet (3 s)")
	}
	now := time.Unix(1767225600, 0)
	f := sim.New(sim.Options{Seed: 1, Start: now.Add(-DemoWarmup)})
	a, err := New(Config{GroupBy: "appType", ENC: ENCConfig{Source: enc.NewStaticSource(f.ENC()), Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.WarmUp(context.Background(), f, now); err != nil {
		t.Fatal(err)
	}
	if !f.Now().Equal(now) {
		t.Errorf("the fleet's clock is at %v after the warm-up, want %v", f.Now(), now)
	}
	s := a.fleet.Publish(now)
	for _, app := range []string{"web", "imageserver", "memcached", "search", "security", "db"} {
		g := group(s, app)
		if g == nil {
			t.Errorf("no group %s: %d groups", app, len(s.Groups))
			continue
		}
		finite := 0
		for _, v := range g.History.NetIn {
			if !math.IsNaN(v) {
				finite++
			}
		}
		if math.IsNaN(g.NetIn) || g.NetIn <= 0 || finite < 8 { // the groups pane's sparklines are 10 cells
			t.Errorf("group %s: in %v B/s, %d points of history; want traffic and a filled sparkline", app, g.NetIn, finite)
		}
	}
	if len(s.TalkersBySrc) == 0 || len(s.URLs) == 0 || len(s.Keys) == 0 {
		t.Errorf("talkers %d, URLs %d, keys %d: want all filled", len(s.TalkersBySrc), len(s.URLs), len(s.Keys))
	}
}
