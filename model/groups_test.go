package model

import (
	"fmt"
	"math"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
)

// simSnapshot plays d of a simulated fleet of n hosts into a fleet classified by the fleet's own ENC.
func simSnapshot(t *testing.T, n int, d time.Duration) *Snapshot {
	t.Helper()
	return simPlay(t, sim.New(sim.Options{Seed: 3, Hosts: n, Start: t0}), d, func(*sflow.Datagram) {})
}

// simPlay plays d of the simulated fleet fl into a fleet classified by fl's ENC, showing observe every datagram
// after it was ingested. It runs in a synctest bubble (see waitClassified).
func simPlay(t *testing.T, fl *sim.Fleet, d time.Duration, observe func(*sflow.Datagram)) *Snapshot {
	t.Helper()
	f := NewFleet(Options{Step: 5 * time.Second, History: 2 * time.Minute})
	r := enc.NewResolver(enc.NewStaticSource(fl.ENC()), enc.Options{})
	defer r.Close()
	f.SetENC(r)
	dec := sflow.NewDecoder()
	var dg sflow.Datagram
	src := netip.MustParseAddrPort("127.0.0.1:6343")
	now := fl.Now()
	for end := now.Add(d); now.Before(end); {
		now = now.Add(500 * time.Millisecond)
		at := now
		if err := fl.Tick(at, func(b []byte) error {
			sflow.DecodeInto(dec, b, &dg, src, at, f)
			observe(&dg)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	return waitClassified(t, f, now)
}

// Groups computed from the snapshot's host rows are the snapshot's own groups: what a merge of several
// collectors' hosts relies on.
func TestGroupRowsOfMatchesSnapshot(t *testing.T) { synctest.Test(t, testGroupRowsOfMatchesSnapshot) }

func testGroupRowsOfMatchesSnapshot(t *testing.T) {
	s := simSnapshot(t, 40, 95*time.Second)
	if len(s.Groups) < 3 {
		t.Fatalf("%d groups, want the sim's several", len(s.Groups))
	}
	points := len(s.Groups[0].History.CPU)
	hosts := make([]*HostRow, len(s.Hosts)) // with their series ending at the snapshot's step, as merged
	for i, h := range s.Hosts {
		r := *h
		r.Series = make([]NamedSeries, len(h.Series))
		for j := range h.Series {
			r.Series[j] = NamedSeries{Name: h.Series[j].Name, Unit: h.Series[j].Unit, Points: s.Aligned(&h.Series[j])}
		}
		hosts[i] = &r
	}
	got := GroupRowsOf(hosts, points, CompletePoints(s.Time, s.Horizon, s.Step, points))
	if len(got) != len(s.Groups) {
		t.Fatalf("%d groups, want %d", len(got), len(s.Groups))
	}
	hits := 0
	for i := range got {
		g, w := got[i], s.Groups[i]
		if !math.IsNaN(w.MemcacheHit) {
			hits++
		}
		// the hit ratio goes through the hosts' ratio and weight: equal to the last bits
		if !closeTo(g.MemcacheHit, w.MemcacheHit) {
			t.Errorf("group %s: memcache hit %v, want %v", w.Name, g.MemcacheHit, w.MemcacheHit)
		}
		g.MemcacheHit, w.MemcacheHit = 0, 0
		// to 12 digits: the snapshot adds and takes back hosts' figures as they change
		if fmt.Sprintf("%.12v", nanFree(g)) != fmt.Sprintf("%.12v", nanFree(w)) {
			t.Errorf("group %s:\n got %+v\nwant %+v", w.Name, g, w)
		}
	}
	if hits == 0 {
		t.Error("no group with a memcache hit ratio: the test does not test it")
	}
}

func closeTo(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) == math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

// nanFree replaces NaN with a sentinel so that DeepEqual compares missing points as equal.
func nanFree(g GroupRow) GroupRow {
	fix := func(v *float64) {
		if math.IsNaN(*v) {
			*v = -1e300
		}
	}
	for _, p := range []*float64{&g.CPU, &g.NetIn, &g.NetOut, &g.HTTPRate, &g.HTTP5xxPct, &g.MemcacheOps,
		&g.MemcacheHit, &g.DiskRead, &g.DiskWrite, &g.MemUsedPct, &g.JVMHeapUsed} {
		fix(p)
	}
	h := &g.History
	for _, s := range [][]float64{h.CPU, h.NetIn, h.NetOut, h.HTTPRate, h.HTTP5xxPct, h.MemcacheOps, h.MemcacheHit} {
		for i := range s {
			fix(&s[i])
		}
	}
	return g
}
