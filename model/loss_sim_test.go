package model

import (
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/internal/losstest"
)

// impairedFleet is a small simulated fleet with every impairment: lost, duplicated and reordered datagrams,
// removed and dropped flow samples, and a restart of every agent every 12 s from a new UDP source port.
func impairedFleet() *sim.Fleet {
	return sim.New(sim.Options{Seed: 7, Hosts: 12, Start: t0, Impair: sim.Impairments{Loss: 0.03, Duplicate: 0.02,
		Reorder: 0.05, RemoveSample: 0.02, DropSample: 0.03, RestartEvery: 12 * time.Second}})
}

// checkLoss compares every agent row and the health totals of s with the figures losstest computed.
func checkLoss(t *testing.T, s *Snapshot, want map[losstest.Agent]*losstest.Figures) {
	t.Helper()
	if len(s.Agents) != len(want) {
		t.Errorf("%d agent rows, want %d", len(s.Agents), len(want))
	}
	for _, a := range s.Agents {
		w := want[losstest.Agent{Addr: a.Addr, Sub: a.SubAgent}]
		if w == nil {
			t.Errorf("agent %v/%d not sent", a.Addr, a.SubAgent)
			continue
		}
		got := losstest.Figures{Datagrams: a.Datagrams, Samples: a.Samples, Lost: a.Lost, Duplicates: a.Duplicates,
			Restarts: a.Restarts, SampleDrops: a.SampleDrops, LostSamples: a.LostSamples,
			DeclaredRate: a.DeclaredRate, EffectiveRate: a.EffectiveRate}
		exp := *w
		if !near(got.EffectiveRate, exp.EffectiveRate) || !near(got.DeclaredRate, exp.DeclaredRate) {
			t.Errorf("agent %v/%d sampling rate declared %v effective %v, want %v and %v", a.Addr, a.SubAgent,
				got.DeclaredRate, got.EffectiveRate, exp.DeclaredRate, exp.EffectiveRate)
		}
		got.DeclaredRate, got.EffectiveRate, exp.DeclaredRate, exp.EffectiveRate = 0, 0, 0, 0
		if got != exp {
			t.Errorf("agent %v/%d:\n got %+v\nwant %+v", a.Addr, a.SubAgent, got, exp)
		}
	}
	tot := losstest.Totals(want)
	h := s.Health
	if h.Datagrams != tot.Datagrams || h.Lost != tot.Lost || h.Duplicates != tot.Duplicates ||
		h.Restarts != tot.Restarts || h.SampleDrops != tot.SampleDrops || h.LostSamples != tot.LostSamples {
		t.Errorf("health %+v\nwant totals %+v", h, tot)
	}
}

// The simulator's impaired fleet replayed into the model (source port 40000 + the agent process's socket):
// every loss figure of every agent exactly as computed from the datagrams sent.
func TestLossFromImpairedSim(t *testing.T) {
	run, err := losstest.Impaired(impairedFleet(), 40*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d datagrams: %+v", len(run.Datagrams), run.Totals)
	f := NewFleet(testOptions())
	if err := run.Replay(f.Ingest); err != nil {
		t.Fatal(err)
	}
	checkLoss(t, f.Publish(run.End()), run.Want)
}
