package model

import (
	"fmt"
	"net/netip"
	"runtime"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow"
)

// hostPoll sends one hsflowd poll of a host named name from s at now, received from src.
func hostPoll(w *wire, f *Fleet, s *sender, src netip.AddrPort, now time.Time, name string, k int) {
	w.t.Helper()
	buf := w.encode(s, now, func(d *sflow.Datagram) {
		c := s.counters(d, 2, 1)
		d.AddHostDescr(c, sflow.HostDescr{Hostname: []byte(name), OSName: sflow.OSLinux})
		d.AddHostCPU(c, sflow.HostCPU{User: uint32(100 * k), Idle: uint32(900 * k), LoadOne: 1})
		d.AddHostNetIO(c, sflow.HostNetIO{BytesIn: uint64(1000 * k), BytesOut: uint64(500 * k)})
	})
	if err := w.dec.Decode(buf, &w.out); err != nil {
		w.t.Fatal(err)
	}
	f.Ingest(&w.out, src, now)
}

// Over MaxAgents, new agent rows are refused and counted; the agents already known go on reporting.
func TestMaxAgentsRefusesNewKeepsKnown(t *testing.T) {
	opt := testOptions()
	opt.MaxAgents = 10
	f := NewFleet(opt)
	w := newWire(t)
	var senders []*sender
	for i := range 15 {
		senders = append(senders, newSender(fmt.Sprintf("10.1.0.%d", i+1), 100000, 40001))
	}
	for k := range 3 {
		now := t0.Add(time.Duration(k) * 10 * time.Second)
		for i, s := range senders {
			hostPoll(w, f, s, netip.AddrPortFrom(s.addr, s.port), now, fmt.Sprintf("h%02d", i), k)
		}
	}
	snap := f.Publish(t0.Add(20 * time.Second))
	if len(snap.Agents) != 10 || len(snap.Hosts) != 10 || snap.Health.RefusedAgents != 15 {
		t.Fatalf("%d agents, %d hosts, %d refused; want 10, 10 and 15 (5 agents × 3 datagrams)", len(snap.Agents),
			len(snap.Hosts), snap.Health.RefusedAgents)
	}
	for _, h := range snap.Hosts {
		if h.Name >= "h10" || h.State != HostOK || !near(h.NetIn, 100) {
			t.Errorf("host %s state %v NetIn %v: want the first ten, reporting 100 B/s", h.Name, h.State, h.NetIn)
		}
	}
	if want := uint64(45); snap.Health.Datagrams != want {
		t.Errorf("Datagrams %d, want %d: refused datagrams are counted as received", snap.Health.Datagrams, want)
	}
}

// One UDP sender claiming many agent addresses gets MaxAgentsPerSender of them; other senders are not held
// back by it.
func TestMaxAgentsPerSender(t *testing.T) {
	opt := testOptions()
	opt.MaxAgentsPerSender = 3
	f := NewFleet(opt)
	w := newWire(t)
	relay := netip.MustParseAddrPort("192.0.2.1:6343")
	for i := range 5 {
		s := newSender(fmt.Sprintf("10.2.0.%d", i+1), 100000, 40001)
		hostPoll(w, f, s, relay, t0, fmt.Sprintf("r%d", i), 0)
	}
	own := newSender("10.2.1.1", 100000, 40001)
	hostPoll(w, f, own, netip.AddrPortFrom(own.addr, own.port), t0, "own", 0)
	snap := f.Publish(t0)
	if len(snap.Agents) != 4 || snap.Health.RefusedAgents != 2 {
		t.Fatalf("%d agents, %d refused; want 3 from the relay and 1 of its own, 2 refused", len(snap.Agents),
			snap.Health.RefusedAgents)
	}
}

// Hosts and data sources of one agent address, and series in total, are bounded too.
func TestMaxHostsSourcesSeries(t *testing.T) {
	opt := testOptions()
	opt.MaxHostsPerAgent = 2
	opt.MaxSourcesPerAgent = 3
	opt.MaxSeries = 6 // of cpu, load, net in and net out of two hosts
	f := NewFleet(opt)
	w := newWire(t)
	hv := newSender("10.3.0.1", 100000, 40001)
	for k := range 2 {
		w.send(f, hv, t0.Add(time.Duration(k)*10*time.Second), func(d *sflow.Datagram) {
			for vm := range 4 { // four VMs claim host_descr: two are hosts, the others refused
				c := hv.counters(d, 3, uint32(100+vm))
				d.AddHostDescr(c, sflow.HostDescr{Hostname: []byte(fmt.Sprintf("vm%d", vm))})
				d.AddHostCPU(c, sflow.HostCPU{User: uint32(100 * k), Idle: uint32(900 * k), LoadOne: 1})
				d.AddHostNetIO(c, sflow.HostNetIO{BytesIn: uint64(1000 * k), BytesOut: uint64(500 * k)})
			}
		})
	}
	snap := f.Publish(t0.Add(10 * time.Second))
	h := snap.Health
	if len(snap.Hosts) != 2 || h.RefusedSources != 4 {
		t.Fatalf("%d hosts, %d sources refused; want vm0 and vm1, 4 refused (vm2 and vm3, twice)", len(snap.Hosts),
			h.RefusedSources)
	}
	if h.RefusedSeries == 0 || f.lim.series.Load() != int64(opt.MaxSeries) {
		t.Fatalf("%d series kept, %d refused; want %d kept and some refused", f.lim.series.Load(), h.RefusedSeries,
			opt.MaxSeries)
	}
}

// What reported once is forgotten after 5 polling intervals, making room for new agents at once.
func TestUnprovenForgottenSooner(t *testing.T) {
	opt := testOptions()
	opt.MaxAgents = 2
	f := NewFleet(opt)
	w := newWire(t)
	real := newSender("10.4.0.1", 100000, 40001)
	forged := newSender("10.4.0.2", 100000, 40001)
	late := newSender("10.4.0.3", 100000, 40001)
	src := func(s *sender) netip.AddrPort { return netip.AddrPortFrom(s.addr, s.port) }
	hostPoll(w, f, forged, src(forged), t0, "forged", 0)
	for k := range 7 {
		hostPoll(w, f, real, src(real), t0.Add(time.Duration(k)*10*time.Second), "real", k)
	}
	hostPoll(w, f, late, src(late), t0.Add(40*time.Second), "late", 0)
	if n := f.Publish(t0.Add(40 * time.Second)).Health.RefusedAgents; n != 1 {
		t.Fatalf("RefusedAgents %d, want 1: the bound is full", n)
	}
	f.Publish(t0.Add(61 * time.Second)) // past 5 intervals of 10 s: the forged agent is gone
	hostPoll(w, f, late, src(late), t0.Add(62*time.Second), "late", 1)
	snap := f.Publish(t0.Add(62 * time.Second))
	names := map[string]bool{}
	for _, h := range snap.Hosts {
		names[h.Name] = true
	}
	if !names["real"] || !names["late"] || names["forged"] || len(snap.Agents) != 2 {
		t.Fatalf("hosts %v, %d agents; want real and late", names, len(snap.Agents))
	}
}

// --allow applies to both the UDP source and the agent address the datagram claims.
func TestAllowChecksSourceAndAgent(t *testing.T) {
	opt := testOptions()
	opt.Allow = []netip.Prefix{netip.MustParsePrefix("10.9.0.0/16")}
	f := NewFleet(opt)
	w := newWire(t)
	inside := newSender("10.9.0.1", 1, 40001)
	outside := newSender("192.0.2.7", 1, 40001)
	hostPoll(w, f, inside, netip.MustParseAddrPort("10.9.0.1:40001"), t0, "ok", 0)
	hostPoll(w, f, outside, netip.MustParseAddrPort("10.9.0.2:40001"), t0, "claims", 0) // allowed sender
	hostPoll(w, f, inside, netip.MustParseAddrPort("192.0.2.8:40001"), t0, "spoof", 0)  // allowed agent
	snap := f.Publish(t0)
	if snap.Health.Disallowed != 2 || len(snap.Hosts) != 1 || snap.Hosts[0].Name != "ok" {
		t.Fatalf("Disallowed %d, hosts %d; want 2 and only ok", snap.Health.Disallowed, len(snap.Hosts))
	}
}

// A host name seen in one datagram costs no ENC lookup; one reporting for more than an interval does.
func TestENCLookupOnlyForProvenHosts(t *testing.T) { synctest.Test(t, testENCLookupOnlyForProvenHosts) }

func testENCLookupOnlyForProvenHosts(t *testing.T) {
	res := enc.NewResolver(enc.NewStaticSource(map[string]*enc.Node{
		"web01": {Parameters: map[string]enc.Value{"appType": scalar("web")}}}), enc.Options{})
	defer res.Close()
	f := NewFleet(testOptions())
	f.SetENC(res)
	w := newWire(t)
	s := newSender("10.5.0.1", 100000, 40001)
	src := netip.AddrPortFrom(s.addr, s.port)
	hostPoll(w, f, s, src, t0, "web01", 0)
	for range 3 {
		f.Publish(t0.Add(time.Second))
	}
	if h := res.Health(); h.Cached != 0 || h.Queued+h.InFlight != 0 || h.Lookups() != 0 {
		t.Fatalf("one datagram of web01: ENC %v; want no lookup", h)
	}
	hostPoll(w, f, s, src, t0.Add(10*time.Second), "web01", 1)
	f.Publish(t0.Add(11 * time.Second)) // asks the resolver
	synctest.Wait()                     // which answers
	snap := f.Publish(t0.Add(11 * time.Second))
	if snap.Hosts[0].Group != "web" || res.Health().Lookups() != 1 {
		t.Fatalf("after two polls: group %q, %d lookups; want web, 1", snap.Hosts[0].Group, res.Health().Lookups())
	}
}

// The model's heap stays under Options.MemoryBound when every bound is reached.
func TestMemoryBoundHolds(t *testing.T) {
	if testing.Short() {
		t.Skip("fills every bound")
	}
	opt := Options{MaxAgents: 3000, MaxSources: 3000, MaxHosts: 3000, MaxSeries: 3000 * 4, MaxAgentsPerSender: 3000}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := heap()
	f := NewFleet(opt)
	w := newWire(t)
	for k := range 2 {
		for i := range 4000 { // a thousand more than the bounds
			s := newSender(netip.AddrFrom4([4]byte{10, 6, byte(i >> 8), byte(i)}).String(), 100000, 40001)
			s.seq, s.sample = uint32(k), uint32(k)
			hostPoll(w, f, s, netip.AddrPortFrom(s.addr, s.port), t0.Add(time.Duration(k)*30*time.Second),
				fmt.Sprintf("host%04d", i), k)
		}
		f.Publish(t0.Add(time.Duration(k) * 30 * time.Second))
	}
	snap := f.Publish(t0.Add(31 * time.Second))
	used := int64(heap() - before)
	bound := f.Options().MemoryBound()
	t.Logf("%d hosts, %d agents: heap %d B, bound %d B (%d B a host)", len(snap.Hosts), len(snap.Agents), used,
		bound, used/int64(len(snap.Hosts)))
	if len(snap.Hosts) != 3000 || snap.Health.RefusedAgents == 0 {
		t.Fatalf("%d hosts, %d refused; want 3000 and refusals", len(snap.Hosts), snap.Health.RefusedAgents)
	}
	if used > bound {
		t.Fatalf("heap %d B over the documented bound %d B", used, bound)
	}
	runtime.KeepAlive(f)
}
