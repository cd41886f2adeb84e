package model

import (
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
)

// rewindFleet is a model of hosts hsflowd hosts (each its own agent, polled every 100 s) plus the simulated
// 600-host website, whose flows fill the top-N tables, played for the rewind's length and a minute more,
// published every second. It returns the fleet and the time of its last publish.
func rewindFleet(tb testing.TB, hosts int, rewind time.Duration) (*Fleet, time.Time) {
	tb.Helper()
	f := NewFleet(Options{Rewind: rewind})
	hf := newHostFleet(tb, hosts)
	web := sim.New(sim.Options{Seed: 9, Hosts: 600, Start: t0})
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	src := netip.MustParseAddrPort("127.0.0.1:6343")
	now := t0
	secs := int((f.opt.Rewind + time.Minute) / time.Second)
	for range secs {
		for k := range 4 {
			at := now.Add(time.Duration(k+1) * 250 * time.Millisecond)
			if err := web.Tick(at, func(b []byte) error {
				sflow.DecodeInto(dec, b, &d, src, at, f)
				return nil
			}); err != nil {
				tb.Fatal(err)
			}
		}
		now = now.Add(time.Second)
		for range hosts / 100 {
			hf.poll(f, now)
		}
		f.Publish(now)
	}
	return f, now
}

// heapAlloc returns the live heap after a collection.
func heapAlloc() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// rewindRetained measures the heap the rewind holds: the live heap with it, minus the heap once it is dropped.
func rewindRetained(f *Fleet) (bytes uint64, frames, agentTables int) {
	for _, fr := range f.rewind.frames {
		if fr != nil {
			frames++
		}
	}
	agentTables = len(f.rewind.agents.kept)
	with := heapAlloc()
	f.rewind = newRewind(f.opt.Rewind)
	without := heapAlloc()
	runtime.KeepAlive(f) // the fleet itself must not go with the rewind
	return with - without, frames, agentTables
}

// The rewind at 20,000 hosts stays within its documented bound. 5 minutes of it, for time: a frame's cost does
// not depend on the rewind's length, and the agent tables kept are as many (BenchmarkRewind20kHosts measures
// the 15 minutes).
func TestRewindMemory20kHosts(t *testing.T) {
	if testing.Short() {
		t.Skip("6 minutes of 20,000 hosts")
	}
	if raceEnabled {
		t.Skip("heap figures mean nothing under the race detector")
	}
	f, now := rewindFleet(t, 20_000, 5*time.Minute)
	s := f.Rewind(now.Add(-4 * time.Minute))
	if s == nil || len(s.Hosts) < 20_000 || len(s.URLs) != f.opt.TopN || len(s.TalkersByPair) != f.opt.TopN {
		t.Fatalf("the rewound snapshot lacks hosts or table rows: %v", s)
	}
	retained, frames, tables := rewindRetained(f)
	t.Logf("rewind at %d hosts: %d frames, %d agent tables, %d B retained (%d B a frame with the agents' share); bound %d B",
		len(s.Hosts), frames, tables, retained, retained/uint64(frames), uint64(f.opt.RewindBytes()))
	if frames != int(f.opt.Rewind/time.Second) {
		t.Fatalf("%d frames kept, want %d", frames, int(f.opt.Rewind/time.Second))
	}
	if retained > uint64(f.opt.RewindBytes()) {
		t.Fatalf("the rewind holds %d B, over its documented bound of %d B", retained, uint64(f.opt.RewindBytes()))
	}
}

// BenchmarkRewind20kHosts measures rebuilding a past second at 20,000 hosts (what a step of ← costs) and reports
// the rewind's heap.
func BenchmarkRewind20kHosts(b *testing.B) {
	f, now := rewindFleet(b, 20_000, DefaultRewind)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if f.Rewind(now.Add(-time.Duration(i%800)*time.Second)) == nil {
			b.Fatal("out of reach")
		}
	}
	b.StopTimer()
	retained, frames, _ := rewindRetained(f)
	b.ReportMetric(float64(retained), "B-rewind")
	b.ReportMetric(float64(retained)/float64(frames), "B/frame")
}
