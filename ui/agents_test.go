package ui

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/internal/losstest"
	"github.com/fleettop/fleettop/model"
)

type staticSource struct{ s *model.Snapshot }

func (s staticSource) Snapshot() *model.Snapshot { return s.s }
func (staticSource) SetGroupBy(string)           {}

// The Agents pane (A) of a fleet with lost, duplicated and reordered datagrams, removed and dropped flow samples
// and agents restarting from new UDP ports: every agent's row shows exactly the figures worked out from the
// datagrams sent, the worst loss first.
func TestFlowAgentsPane(t *testing.T) {
	start := time.Unix(1767225600, 0)
	run, err := losstest.Impaired(sim.New(sim.Options{Seed: 4, Hosts: 12, Start: start, Impair: sim.Impairments{
		Loss: 0.04, Duplicate: 0.03, Reorder: 0.05, RemoveSample: 0.03, DropSample: 0.03,
		RestartEvery: 13 * time.Second}}), 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want, tot := run.Want, run.Totals
	fl := model.NewFleet(model.Options{})
	if err := run.Replay(fl.Ingest); err != nil {
		t.Fatal(err)
	}
	snap := fl.Publish(run.End())

	m, err := New(staticSource{snap}, nil, Options{Now: fixedNow, Environ: []string{"TERM=xterm-256color"},
		Refresh: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(160, 60))
	f := &flow{t: t, tm: tm, m: m}
	t.Cleanup(func() {
		tm.Send(press("q"))
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	})
	f.waitFor("the dashboard", has("Groups"))
	f.keys("A")
	scr := f.waitFor("the Agents pane", has(fmt.Sprintf("sFlow agents (%d)", len(want)),
		fmt.Sprintf("lost %d, duplicates %d, restarts %d, sample drops %d, lost samples %d", tot.Lost, tot.Duplicates,
			tot.Restarts, tot.SampleDrops, tot.LostSamples)))

	rows := 0
	prevLost := uint64(1 << 62)
	for _, line := range strings.Split(scr, "\n") {
		fields := strings.Fields(line)
		if len(fields) < 8 {
			continue
		}
		ag, ok := parseAgent(fields[0])
		if !ok {
			continue
		}
		w := want[ag]
		if w == nil {
			t.Errorf("row for %s, which sent nothing", fields[0])
			continue
		}
		rows++
		wantCells := []uint64{w.Lost, w.Duplicates, w.Restarts, w.SampleDrops, w.LostSamples}
		for i, n := range wantCells {
			if fields[2+i] != strconv.FormatUint(n, 10) {
				t.Errorf("%s: columns lost, dups, restarts, smp drops, lost smp = %v, want %v", fields[0], fields[2:7],
					wantCells)
				break
			}
		}
		if w.Lost > prevLost {
			t.Errorf("%s (lost %d) below a row with less lost (%d): want lost descending", fields[0], w.Lost, prevLost)
		}
		prevLost = w.Lost
	}
	if rows < min(len(want), 40) {
		t.Errorf("%d agent rows on screen, want %d:\n%s", rows, min(len(want), 40), scr)
	}
	f.keys("esc")
	f.waitFor("the overview again", has("Top talkers"))
}

// parseAgent reads the agent column: ADDRESS or ADDRESS/SUB-AGENT.
func parseAgent(s string) (losstest.Agent, bool) {
	addr, sub, _ := strings.Cut(s, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return losstest.Agent{}, false
	}
	n := uint64(0)
	if sub != "" {
		if n, err = strconv.ParseUint(sub, 10, 32); err != nil {
			return losstest.Agent{}, false
		}
	}
	return losstest.Agent{Addr: a, Sub: uint32(n)}, true
}
