package model

import (
	"fmt"
	"math"
	"net/netip"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
)

// playSim feeds f secs virtual seconds of a simulated fleet of n hosts, in ticks of 100 ms, and publishes at the
// end of every second; it returns the Snapshots published, by unix second.
func playSim(t testing.TB, f *Fleet, fl *sim.Fleet, from time.Time, secs int) map[int64]*Snapshot {
	t.Helper()
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	src := netip.MustParseAddrPort("127.0.0.1:6343")
	out := make(map[int64]*Snapshot)
	for at := 100 * time.Millisecond; at <= time.Duration(secs)*time.Second; at += 100 * time.Millisecond {
		now := from.Add(at)
		if err := fl.Tick(now, func(b []byte) error {
			sflow.DecodeInto(dec, b, &d, src, now, f)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if at%time.Second == 0 {
			out[now.Unix()] = f.Publish(now)
		}
	}
	return out
}

// A rewound second shows that second's tables, groups and health exactly as they were published, the hosts'
// figures of their series at it, and nothing beyond the rewind's reach.
func TestRewindShowsThePublishedSecond(t *testing.T) {
	f := NewFleet(Options{Rewind: 60 * time.Second, Step: 5 * time.Second})
	fl := sim.New(sim.Options{Seed: 5, Hosts: 40, Start: t0})
	pub := playSim(t, f, fl, t0, 90)
	oldest, newest := f.RewindSpan()
	if want := t0.Add(31 * time.Second); !oldest.Equal(want) || !newest.Equal(t0.Add(90*time.Second)) {
		t.Fatalf("span %v to %v, want %v to %v", oldest, newest, want, t0.Add(90*time.Second))
	}
	if s := f.Rewind(t0.Add(30 * time.Second)); s != nil {
		t.Fatalf("second 30 is out of a 60 s rewind at second 90, got a snapshot of %v", s.Time)
	}
	for _, sec := range []int{31, 45, 70, 89, 90} {
		at := t0.Add(time.Duration(sec)*time.Second + 300*time.Millisecond)
		s, want := f.Rewind(at), pub[t0.Unix()+int64(sec)]
		if s == nil || !s.Rewound || !s.Time.Equal(want.Time) || s.Version != want.Version {
			t.Fatalf("second %d: got %+v, want the snapshot of %v", sec, s, want.Time)
		}
		for name, pair := range map[string][2]any{
			"talkers by src": {s.TalkersBySrc, want.TalkersBySrc}, "pairs": {s.TalkersByPair, want.TalkersByPair},
			"urls": {s.URLs, want.URLs}, "keys": {s.Keys, want.Keys}, "health": {s.Health, want.Health},
			"window": {[]time.Time{s.WindowStart, s.WindowEnd}, []time.Time{want.WindowStart, want.WindowEnd}},
		} {
			if g, w := fmt.Sprintf("%v", pair[0]), fmt.Sprintf("%v", pair[1]); g != w {
				t.Errorf("second %d: %s differ:\n got %s\nwant %s", sec, name, g, w)
			}
		}
		if len(s.URLs) == 0 || len(s.TalkersBySrc) == 0 {
			t.Fatalf("second %d: empty tables, the test tests nothing", sec)
		}
		for i, g := range s.Groups {
			w := want.Groups[i]
			g.History, w.History = GroupHistory{}, GroupHistory{}
			if fmt.Sprintf("%v", g) != fmt.Sprintf("%v", w) {
				t.Errorf("second %d: group %d is %+v, want %+v", sec, i, g, w)
			}
			// The history ends at the rewound step: its last complete point is the published one's.
			h, wh := s.Groups[i].History.NetIn, want.Groups[i].History.NetIn
			if len(h) != len(wh) {
				t.Fatalf("group history of %d points, want %d", len(h), len(wh))
			}
		}
		checkHostsAt(t, s)
		if len(s.Agents) == 0 || s.AgentsAt.After(s.Time) {
			t.Errorf("second %d: %d agents kept at %v", sec, len(s.Agents), s.AgentsAt)
		}
	}
}

// checkHostsAt checks that a rewound snapshot's host figures are their series' points at its time.
func checkHostsAt(t *testing.T, s *Snapshot) {
	t.Helper()
	seen := 0
	for _, h := range s.Hosts {
		for _, ns := range h.Series {
			if ns.Name != "cpu.utilisation" {
				continue
			}
			pts := s.Aligned(&ns)
			last := pts[len(pts)-1]
			if math.IsNaN(last) && !ns.Last.After(s.Time) { // not polled in that step yet: the last figure
				continue
			}
			seen++
			if last != h.CPU && !(math.IsNaN(last) && math.IsNaN(h.CPU)) {
				t.Errorf("host %s at %v: CPU %v, its series has %v", h.Name, s.Time, h.CPU, last)
			}
		}
	}
	if seen == 0 {
		t.Error("no host with a CPU series: the test tests nothing")
	}
}

// The clock going back (a replay started again) starts a new rewind; Rewind < 0 keeps nothing.
func TestRewindClockBackAndOff(t *testing.T) {
	f := NewFleet(Options{Rewind: 30 * time.Second})
	for i := range 40 {
		f.Publish(t0.Add(time.Duration(i) * time.Second))
	}
	f.Publish(t0.Add(5 * time.Second))
	if oldest, newest := f.RewindSpan(); !oldest.Equal(t0.Add(5*time.Second)) || !newest.Equal(oldest) {
		t.Fatalf("after the clock went back: span %v to %v, want only %v", oldest, newest, t0.Add(5*time.Second))
	}
	off := NewFleet(Options{Rewind: -1})
	off.Publish(t0)
	if s := off.Rewind(t0); s != nil {
		t.Fatalf("Rewind < 0 kept a frame: %v", s.Time)
	}
	if got := NewFleet(Options{Rewind: time.Hour}).Options().History; got != time.Hour {
		t.Fatalf("History %v with a rewind of an hour: series must reach as far back", got)
	}
}

// A rewound host page counts the flow store over the rewound second's window: what the host page showed then.
// When the store no longer reaches back, the answer says so.
func TestHostFlowsAtRewoundWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("plays 110 s of a 40-host fleet twice, seconds of CPU: run without -short")
	}
	f := NewFleet(Options{Rewind: 60 * time.Second})
	fl := sim.New(sim.Options{Seed: 5, Hosts: 40, Start: t0})
	then := playSim(t, f, fl, t0, 50)[t0.Unix()+50]
	var web *HostRow
	for _, h := range then.Hosts {
		if h.HTTPRate > 0 && (web == nil || h.HTTPRate > web.HTTPRate) {
			web = h
		}
	}
	if web == nil {
		t.Fatal("no web server in the fleet")
	}
	want := f.HostFlows(web.ID, 0)
	if len(want.URLs) == 0 || len(want.Talkers) == 0 {
		t.Fatalf("%s: no flows at second 50: the test tests nothing", web.Name)
	}
	playSim(t, f, fl, t0.Add(50*time.Second), 30)
	s := f.Rewind(t0.Add(50 * time.Second))
	got := f.HostFlowsAt(web.ID, 0, s.WindowStart, s.WindowEnd)
	if g, w := fmt.Sprintf("%v", got), fmt.Sprintf("%v", want); g != w {
		t.Fatalf("flows of %s rewound to second 50:\n got %s\nwant %s", web.Name, g, w)
	}
	if live := f.HostFlows(web.ID, 0); fmt.Sprintf("%v", live.URLs) == fmt.Sprintf("%v", want.URLs) {
		t.Fatal("the live flows are those of second 50: the test cannot tell them apart")
	}

	// A store of 40 records a shard holds only the last instants.
	small := NewFleet(Options{Rewind: 60 * time.Second, FlowRecords: 40 * 8, Shards: 8})
	playSim(t, small, sim.New(sim.Options{Seed: 5, Hosts: 40, Start: t0}), t0, 30)
	s = small.Rewind(t0.Add(10 * time.Second))
	fl10 := small.HostFlowsAt(web.ID, 0, s.WindowStart, s.WindowEnd)
	if !fl10.Partial || !fl10.Start.Equal(fl10.End) || len(fl10.URLs)+len(fl10.Talkers) != 0 {
		t.Fatalf("a store that no longer reaches second 10: %+v, want Partial with Start = End and no rows", fl10)
	}
}
