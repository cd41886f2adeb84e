package app

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/internal/losstest"
	"github.com/fleettop/fleettop/model"
)

// Loss accounting over real UDP: a simulated fleet with lost, duplicated and reordered datagrams, removed and
// dropped flow samples and agents restarting from new source ports (one socket per agent process) is sent to
// collect's ingest stack on 127.0.0.1; every agent's figures and collect's health line are exactly what the
// test works out from the datagrams it sent.
func TestLossOverLoopback(t *testing.T) {
	start := time.Unix(1767225600, 0)
	// The 30 s of the fleet are sent in well under a second: counters every second, so that every agent process
	// sends several datagrams and its uptime tells a restart even on the compressed receive clock.
	sf := sim.New(sim.Options{Seed: 21, Hosts: 12, Start: start, PollInterval: time.Second, Impair: sim.Impairments{Loss: 0.03,
		Duplicate: 0.03, Reorder: 0.05, RemoveSample: 0.02, DropSample: 0.03, RestartEvery: 11 * time.Second}})
	run, err := losstest.Impaired(sf, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	dgs, want, tot := run.Datagrams, run.Want, run.Totals

	// One worker: the order datagrams arrive in is the order they are ingested in.
	st, _ := listening(t, Config{Listen: "127.0.0.1:0", Workers: 1, Queue: 8192, Window: time.Minute, Step: time.Second})

	conns := map[int]net.Conn{}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	deadline := time.Now().Add(20 * time.Second)
	for i, dg := range dgs {
		c := conns[dg.Socket]
		if c == nil {
			if c, err = net.Dial("udp", st.ListenAddr().String()); err != nil {
				t.Fatal(err)
			}
			conns[dg.Socket] = c
		}
		if _, err := c.Write(dg.Bytes); err != nil {
			t.Fatal(err)
		}
		if i%64 == 63 { // let the socket drain: a datagram dropped here would be loss the test did not make
			for st.listener.Stats().Received < uint64(i+1) && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
		}
	}
	var s *model.Snapshot
	for {
		s = st.fleet.Publish(time.Now())
		if s.Health.Datagrams >= tot.Datagrams || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if s.Health.Datagrams != tot.Datagrams || s.Health.QueueDrops != 0 {
		t.Fatalf("%d datagrams ingested, %d queue drops: want all %d sent", s.Health.Datagrams, s.Health.QueueDrops,
			tot.Datagrams)
	}
	for _, a := range s.Agents {
		w := want[losstest.Agent{Addr: a.Addr, Sub: a.SubAgent}]
		if w == nil || a.Lost != w.Lost || a.Duplicates != w.Duplicates || a.Restarts != w.Restarts ||
			a.SampleDrops != w.SampleDrops || a.LostSamples != w.LostSamples || a.Samples != w.Samples {
			t.Errorf("agent %v/%d: %+v\nwant %+v", a.Addr, a.SubAgent, a, w)
		}
	}
	line := HealthLine(s)
	for _, f := range []string{fmt.Sprintf("lost=%d ", tot.Lost), fmt.Sprintf("duplicates=%d ", tot.Duplicates),
		fmt.Sprintf("restarts=%d ", tot.Restarts), fmt.Sprintf("sample_drops=%d ", tot.SampleDrops),
		fmt.Sprintf("lost_samples=%d ", tot.LostSamples)} {
		if !strings.Contains(line, f) {
			t.Errorf("health line %q: want %s", line, f)
		}
	}
	t.Logf("%s", line)
}
