package model

import (
	"net/netip"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/internal/losstest"
)

// replayHosts feeds the recording into a new model rounds times, each round squeezed into span of receive
// time (a sender replaying a capture as fast as it can, sequence numbers and uptimes jumping back at every
// round), and returns the health it shows wait after the last datagram.
func replayHosts(t *testing.T, rec []losstest.Datagram, rounds int, span, wait time.Duration) Health {
	t.Helper()
	f := NewFleet(testOptions())
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	first, covered := rec[0].At, rec[len(rec)-1].At.Sub(rec[0].At)
	now := t0
	for round := range rounds {
		start := t0.Add(time.Duration(round) * span)
		for i, dg := range rec {
			if err := dec.Decode(dg.Bytes, &d); err != nil {
				t.Fatalf("datagram %d: %v", i, err)
			}
			now = start.Add(time.Duration(float64(dg.At.Sub(first)) * float64(span) / float64(covered)))
			f.Ingest(&d, netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(40000+dg.Socket)), now)
		}
		f.Publish(now) // the publisher sweeps as it goes
	}
	return f.Publish(now.Add(wait)).Health
}

// A capture replayed in a loop much faster than it was made (the load generator of issue 14) leaves the model
// with the fleet's hosts, as many as the capture played once in real time: a source's polling interval is the
// agent's (its uptime between two samples), not how fast the datagrams happened to arrive.
func TestReplayedLoopKeepsTheFleetsHosts(t *testing.T) {
	if testing.Short() {
		t.Skip("replays a minute of a 40-host fleet 21 times, seconds of CPU: run without -short")
	}
	fleet := sim.New(sim.Options{Seed: 3, Hosts: 40, Start: t0})
	rec, err := losstest.Capture(fleet, t0.Add(60*time.Second), 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	covered := rec[len(rec)-1].At.Sub(rec[0].At)
	want := replayHosts(t, rec, 1, covered, 15*time.Second)
	if want.Hosts < 40 {
		t.Fatalf("the capture played once shows %d hosts, want the fleet's 40 servers at least", want.Hosts)
	}
	// 20 rounds, each in 1/200 of the time it covers: 60 s in 0.3 s.
	got := replayHosts(t, rec, 20, covered/200, 15*time.Second)
	t.Logf("hosts: %d (%d stale) played once, %d (%d stale) after 20 fast rounds", want.Hosts, want.StaleHosts,
		got.Hosts, got.StaleHosts)
	if got.Hosts != want.Hosts || got.StaleHosts != want.StaleHosts {
		t.Errorf("after 20 fast rounds the model shows %d hosts (%d stale), want the fleet's %d (%d stale)",
			got.Hosts, got.StaleHosts, want.Hosts, want.StaleHosts)
	}
}
