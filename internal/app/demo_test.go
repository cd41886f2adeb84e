package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/model"
)

// The demo, driven headlessly on simulated time: after a full incident cycle the model has hosts in every
// appType, talkers between groups, URLs, memcache keys, and each scripted incident showed in the figures.
func TestDemoHeadless(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates a whole incident cycle of the demo fleet")
	}
	f := sim.New(sim.Options{Seed: 3, Start: time.Unix(1767225600, 0)})
	st, err := New(Config{GroupBy: "appType", ENC: ENCConfig{Source: enc.NewStaticSource(f.ENC()), Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	var sawSurge, sawHotKey, sawSilent, sawBurst bool
	start := f.Now()
	err = Simulate(context.Background(), f, st.fleet, sim.DefaultCycle+30*time.Second, func() {
		s := st.fleet.Snapshot()
		inc := f.IncidentAt(s.Time)
		if s.Time.Sub(inc.Start) < 40*time.Second { // give the windows time to fill
			return
		}
		switch inc.Kind {
		case sim.ErrorSurge:
			if g := group(s, inc.AppType); g != nil && g.HTTP5xxPct > 10 {
				sawSurge = true
			}
		case sim.HotKey:
			if len(s.Keys) > 0 && strings.Contains(s.Keys[0].Key, inc.Key) {
				sawHotKey = true
			}
		case sim.SilentHost:
			for _, h := range s.Hosts {
				if h.Name == inc.Host && h.State != model.HostOK {
					sawSilent = true
				}
			}
		case sim.TrafficBurst:
			for _, r := range s.TalkersByPair[:min(5, len(s.TalkersByPair))] {
				if (r.SrcGroup == inc.From && r.DstGroup == inc.To) || (r.SrcGroup == inc.To && r.DstGroup == inc.From) {
					sawBurst = true
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	s := st.fleet.Snapshot()
	if got := s.Time.Sub(start); got < sim.DefaultCycle {
		t.Fatalf("simulated %v, want a whole cycle", got)
	}
	for _, app := range sim.AppTypes() {
		if g := group(s, app); g == nil || g.Hosts == 0 {
			t.Errorf("no hosts in appType %s; groups %v", app, groupNames(s))
		}
	}
	if len(s.TalkersByPair) == 0 || len(s.URLs) == 0 || len(s.Keys) == 0 {
		t.Fatalf("empty tables: %d talker pairs, %d URLs, %d keys", len(s.TalkersByPair), len(s.URLs), len(s.Keys))
	}
	// URLs and keys are served by many hosts of their appType at once; each still has its group
	for _, rows := range [][]string{urlGroups(s), keyGroups(s)} {
		missing := 0
		for _, g := range rows {
			if g == "" {
				missing++
			}
		}
		if missing > 0 {
			t.Errorf("%d of %d URL/key rows have no group", missing, len(rows))
		}
	}
	between := 0
	for _, r := range s.TalkersByPair {
		if r.SrcGroup != "" && r.DstGroup != "" && r.SrcGroup != model.Unclassified && r.DstGroup != model.Unclassified {
			between++
		}
	}
	if between == 0 {
		t.Error("no talker pair has a group at both ends")
	}
	if s.Health.DecodeErrors != 0 {
		t.Errorf("%d decode errors on the simulator's datagrams", s.Health.DecodeErrors)
	}
	for name, saw := range map[string]bool{"5xx surge": sawSurge, "hot key": sawHotKey, "silent host": sawSilent,
		"traffic burst": sawBurst} {
		if !saw {
			t.Errorf("the %s incident never showed in the model", name)
		}
	}
}

func group(s *model.Snapshot, name string) *model.GroupRow {
	for i := range s.Groups {
		if s.Groups[i].Name == name {
			return &s.Groups[i]
		}
	}
	return nil
}

func urlGroups(s *model.Snapshot) (g []string) {
	for _, r := range s.URLs {
		g = append(g, r.Group)
	}
	return g
}

func keyGroups(s *model.Snapshot) (g []string) {
	for _, r := range s.Keys {
		g = append(g, r.Group)
	}
	return g
}

func groupNames(s *model.Snapshot) []string {
	var n []string
	for _, g := range s.Groups {
		n = append(n, fmt.Sprintf("%s:%d", g.Name, g.Hosts))
	}
	return n
}

// `fleettop sim` into `fleettop collect` over loopback at a moderate rate: the collector counts exactly what the
