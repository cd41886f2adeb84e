package model

import (
	"math"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

var (
	uuidWeb = [16]byte{0x11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	uuidVM  = [16]byte{0x22, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	macWeb  = [6]byte{0x02, 0, 0, 0, 0, 0x01}
)

// machine sends what one Linux machine running hsflowd (with a VM), Apache mod-sflow, memcached and a JVM
// agent sends, poll k (every 10 s from t0).
type machine struct {
	hsflowd, modSflow, memcached, jvm *sender
}

func newMachine(addr string) *machine {
	return &machine{
		hsflowd:   newSender(addr, 100000, 40001),
		modSflow:  newSender(addr, 0, 40002),
		memcached: newSender(addr, 0, 40003),
		jvm:       newSender(addr, 200000, 40004),
	}
}

// poll sends poll k of every agent of the machine. Per 10 s interval: CPU busy 2500·k ms of 10 000 ms, net in
// 5 MB, out 1 MB, disk read 1 MB, HTTP 900 2xx + 100 5xx (2xx wraps between polls 0 and 1), memcache 800 hits,
// 200 misses, 100 sets, JVM 5 collections; the VM uses 5 s of CPU over 2 vCPUs.
func (m *machine) poll(w *wire, f *Fleet, k int, hostname string) {
	now := t0.Add(time.Duration(k) * 10 * time.Second)
	u32 := func(base, per int) uint32 { return uint32(base + per*k) }
	u64 := func(base, per int) uint64 { return uint64(base + per*k) }
	busy := uint32(0)
	for i := 1; i <= k; i++ {
		busy += uint32(2500 * i)
	}
	w.send(f, m.hsflowd, now, func(d *sflow.Datagram) {
		s := m.hsflowd.counters(d, 2, 1)
		d.AddHostDescr(s, sflow.HostDescr{Hostname: []byte(hostname), UUID: uuidWeb, OSName: sflow.OSLinux,
			MachineType: 3, OSRelease: []byte("5.15")})
		a := sflow.HostAdapters{}
		a.AddAdapter(2, macWeb)
		d.AddHostAdapters(s, a)
		d.AddHostCPU(s, sflow.HostCPU{LoadOne: 1.5, CPUNum: 4, User: 100000 + busy, Idle: 900000 + uint32(10000*k) - busy,
			Len80: true})
		d.AddHostMemory(s, sflow.HostMemory{Total: 8 << 30, Free: 2 << 30, Buffers: 1 << 30, Cached: 1 << 30,
			SwapTotal: sflow.Unavailable64, SwapFree: sflow.Unavailable64})
		d.AddHostDiskIO(s, sflow.HostDiskIO{Total: 100e9, Free: 25e9, PartMaxUsed: -1, BytesRead: u64(1e9, 1e6),
			BytesWritten: u64(2e9, 2e6)})
		d.AddHostNetIO(s, sflow.HostNetIO{BytesIn: u64(7e9, 5e6), BytesOut: u64(3e9, 1e6)})
		v := m.hsflowd.counters(d, 3, 100001)
		d.AddHostDescr(v, sflow.HostDescr{Hostname: []byte("vm01"), UUID: uuidVM, OSName: sflow.OSLinux})
		d.AddHostParent(v, sflow.HostParent{ContainerType: 2, ContainerIndex: 1})
		d.AddVirtCPU(v, sflow.VirtCPU{State: 1, CPUTime: u32(50000, 5000), NrVirtCPU: 2})
		d.AddVirtMemory(v, sflow.VirtMemory{Memory: 1 << 30, MaxMemory: 2 << 30})
		d.AddHostNetIO(v, sflow.HostNetIO{Virt: true, BytesIn: u64(1e6, 1e5), BytesOut: u64(1e6, 2e5)})
	})
	w.send(f, m.modSflow, now, func(d *sflow.Datagram) {
		s := m.modSflow.counters(d, 3, 80)
		d.AddHTTPCounters(s, sflow.HTTPCounters{MethodGet: u32(0, 1000), MethodPut: sflow.Unavailable32,
			Status2XX: uint32(0xFFFFFD00) + uint32(900*k), Status5XX: u32(50, 100)})
	})
	w.send(f, m.memcached, now, func(d *sflow.Datagram) {
		s := m.memcached.counters(d, 3, 65537)
		d.AddMemcacheCounters(s, sflow.MemcacheCounters{GetHits: u32(10, 800), GetMisses: u32(10, 200),
			CmdSet: u32(0, 100), CurrItems: 42})
	})
	w.send(f, m.jvm, now, func(d *sflow.Datagram) {
		s := m.jvm.counters(d, 3, 200000)
		d.AddHostDescr(s, sflow.HostDescr{Hostname: []byte(hostname), OSName: sflow.OSJava})
		d.AddJVMStatistics(s, sflow.JVMStatistics{HeapUsed: 100e6, HeapMax: 1e9, GCCount: u32(7, 5), Len108: true})
	})
}

func TestHostsFromCountersEndToEnd(t *testing.T) {
	f := NewFleet(testOptions())
	w := newWire(t)
	m := newMachine("10.0.0.1")
	for k := range 3 {
		m.poll(w, f, k, "web01")
	}
	// Two machines that both call themselves localhost.
	for i, addr := range []string{"10.0.0.2", "10.0.0.3"} {
		s := newSender(addr, 100000, 40001)
		w.send(f, s, t0.Add(20*time.Second), func(d *sflow.Datagram) {
			c := s.counters(d, 2, 1)
			d.AddHostDescr(c, sflow.HostDescr{Hostname: []byte("localhost"), UUID: [16]byte{byte(i + 1)}})
		})
	}
	snap := f.Publish(t0.Add(20 * time.Second))

	web := findHost(t, snap, "web01") // also: the JVM's host_descr did not make a second web01
	checks := []struct {
		name      string
		got, want float64
	}{
		{"CPU (third interval: 5000 of 10000 ms busy)", web.CPU, 50},
		{"Load1", web.Load1, 1.5},
		{"MemUsedPct (8G - 2G free - 1G buffers - 1G cache)", web.MemUsedPct, 50},
		{"MemTotal", web.MemTotal, 8 << 30},
		{"DiskUsedPct", web.DiskUsedPct, 75},
		{"DiskRead", web.DiskRead, 1e5},
		{"DiskWrite", web.DiskWrite, 2e5},
		{"NetIn", web.NetIn, 5e5},
		{"NetOut", web.NetOut, 1e5},
		{"HTTPRate (900 2xx through a wrap + 100 5xx per 10 s)", web.HTTPRate, 100},
		{"HTTP5xxPct", web.HTTP5xxPct, 10},
		{"MemcacheOps (1000 gets + 100 sets per 10 s)", web.MemcacheOps, 110},
		{"MemcacheHit", web.MemcacheHit, 80},
		{"JVMHeapUsed", web.JVMHeapUsed, 100e6},
		{"JVMGCRate", web.JVMGCRate, 0.5},
	}
	for _, c := range checks {
		if !near(c.got, c.want) {
			t.Errorf("web01 %s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if want := []string{"http:80", "jvm", "memcache"}; !slices.Equal(web.Apps, want) {
		t.Errorf("web01 Apps = %v, want %v", web.Apps, want)
	}
	if web.ID != "10.0.0.1/11010203-0405-0607-0809-0a0b0c0d0e0f" || web.UUID == "" || web.Agent != netip.MustParseAddr("10.0.0.1") {
		t.Errorf("web01 identity: ID %q UUID %q Agent %v", web.ID, web.UUID, web.Agent)
	}
	if web.OS != "linux 5.15" || web.State != HostOK || web.Parent != "" || web.DupName {
		t.Errorf("web01: OS %q State %v Parent %q DupName %v", web.OS, web.State, web.Parent, web.DupName)
	}
	// The series: one point per 10 s step, the rate of an interval in the bin that ends it.
	cpu := findSeries(snap, web, "cpu.utilisation")
	if n := len(cpu); n != 30 || !near(cpu[n-1], 50) || !near(cpu[n-2], 25) || !math.IsNaN(cpu[n-3]) {
		t.Errorf("cpu.utilisation series ends %v (len %d), want [NaN 25 50] (len 30)", cpu[max(0, len(cpu)-3):], len(cpu))
	}
	if s := findSeries(snap, web, "http.method.put"); s != nil {
		t.Errorf("http.method.put is unavailable (0xFFFFFFFF) but has a series %v", s[len(s)-3:])
	}
	if s := findSeries(snap, web, "http.method.get"); s == nil || !near(s[len(s)-1], 100) {
		t.Errorf("http.method.get series = %v, want ... 100", s)
	}
	if s := findSeries(snap, web, "memcache.hit_ratio"); s == nil || !near(s[len(s)-1], 80) {
		t.Errorf("memcache.hit_ratio series = %v, want ... 80", s)
	}

	vm := findHost(t, snap, "vm01")
	if vm.Parent != web.ID {
		t.Errorf("vm01 Parent = %q, want %q", vm.Parent, web.ID)
	}
	if !near(vm.CPU, 25) || !near(vm.MemUsedPct, 50) || !near(vm.NetIn, 1e4) || !near(vm.NetOut, 2e4) {
		t.Errorf("vm01 CPU %v MemUsedPct %v NetIn %v NetOut %v, want 25 50 1e4 2e4", vm.CPU, vm.MemUsedPct, vm.NetIn, vm.NetOut)
	}

	var locals []*HostRow
	for _, h := range snap.Hosts {
		if h.Name == "localhost" {
			locals = append(locals, h)
		}
	}
	if len(locals) != 2 || locals[0].ID == locals[1].ID || !locals[0].DupName || !locals[1].DupName {
		t.Errorf("two agents named localhost: %d hosts, IDs %q, DupName %v", len(locals),
			[]string{locals[0].ID, locals[len(locals)-1].ID}, []bool{locals[0].DupName, locals[len(locals)-1].DupName})
	}
	if len(snap.Hosts) != 4 {
		t.Errorf("%d hosts, want 4 (web01, vm01, two localhosts)", len(snap.Hosts))
	}

	// Without an ENC every host is unclassified.
	if len(snap.Groups) != 1 || snap.Groups[0].Name != Unclassified || snap.Groups[0].Hosts != 4 {
		t.Fatalf("groups = %+v, want one unclassified group of 4", snap.Groups)
	}
	g := snap.Groups[0]
	if !near(g.HTTPRate, 100) || !near(g.NetIn, 5e5+1e4) || !near(g.MemcacheHit, 80) || !near(g.CPU, 37.5) {
		t.Errorf("group HTTPRate %v NetIn %v MemcacheHit %v CPU %v, want 100, %v, 80, 37.5", g.HTTPRate, g.NetIn,
			g.MemcacheHit, g.CPU, 5e5+1e4)
	}
	if n := len(g.History.HTTPRate); n != 30 || !near(g.History.HTTPRate[n-1], 100) || !near(g.History.CPU[n-1], 37.5) {
		t.Errorf("group history ends HTTPRate %v CPU %v", g.History.HTTPRate[len(g.History.HTTPRate)-1],
			g.History.CPU[len(g.History.CPU)-1])
	}

	// Agents: four sFlow instances at 10.0.0.1 (mod-sflow and memcached share sub-agent 0 but not a sequence).
	var rows []*AgentRow
	for _, a := range snap.Agents {
		if a.Addr == netip.MustParseAddr("10.0.0.1") {
			rows = append(rows, a)
		}
	}
	if len(rows) != 3 {
		t.Fatalf("agent rows for 10.0.0.1: %+v, want sub-agents 0, 100000, 200000", rows)
	}
	if rows[0].SubAgent != 0 || rows[0].Datagrams != 6 || rows[0].Lost != 0 || rows[0].Restarts != 0 {
		t.Errorf("sub-agent 0 row %+v, want 6 datagrams, no loss, no restart", rows[0])
	}
	if h := snap.Health; h.Datagrams != 14 || h.Agents != 5 || h.Hosts != 4 || h.Lost != 0 || h.DecodeErrors != 0 {
		t.Errorf("health %+v", h)
	}
}

// A counter sample sequence that goes back is a counter reset: no rate for that interval, none negative.
func TestCounterResetAndUnavailable(t *testing.T) {
	f := NewFleet(testOptions())
	w := newWire(t)
	s := newSender("10.0.1.1", 100000, 40001)
	type poll struct {
		sampleSeq uint32
		bytesIn   uint64
		free      uint64
	}
	polls := []poll{
		{1, 1000, 1 << 30},
		{2, 11000, 1 << 30},             // +10 000 B in 10 s: 1000 B/s
		{1, 500, 1 << 30},               // the agent restarted: counters reset, sample sequence back to 1
		{2, 20500, sflow.Unavailable64}, // +20 000: 2000 B/s; free memory now unavailable
	}
	var ins, mems []float64
	for k, p := range polls {
		now := t0.Add(time.Duration(k) * 10 * time.Second)
		s.sample = p.sampleSeq - 1
		w.send(f, s, now, func(d *sflow.Datagram) {
			c := s.counters(d, 2, 1)
			d.AddHostDescr(c, sflow.HostDescr{Hostname: []byte("db01")})
			d.AddHostNetIO(c, sflow.HostNetIO{BytesIn: p.bytesIn, BytesOut: sflow.Unavailable64})
			d.AddHostMemory(c, sflow.HostMemory{Total: 4 << 30, Free: p.free, Buffers: sflow.Unavailable64,
				Cached: sflow.Unavailable64})
		})
		h := findHost(t, f.Publish(now), "db01")
		ins = append(ins, h.NetIn)
		mems = append(mems, h.MemUsedPct)
		if !math.IsNaN(h.NetOut) {
			t.Errorf("poll %d: NetOut = %v from an unavailable counter, want NaN", k, h.NetOut)
		}
	}
	wantIn := []float64{math.NaN(), 1000, math.NaN(), 2000}
	wantMem := []float64{75, 75, 75, math.NaN()}
	for k := range polls {
		if !near(ins[k], wantIn[k]) || !near(mems[k], wantMem[k]) {
			t.Fatalf("NetIn per poll = %v, want %v; MemUsedPct %v, want %v", ins, wantIn, mems, wantMem)
		}
	}
}

func TestStalenessAgesOut(t *testing.T) {
	f := NewFleet(testOptions())
	w := newWire(t)
	s := newSender("10.0.2.1", 100000, 40001)
	for k := range 3 {
		w.send(f, s, t0.Add(time.Duration(k)*10*time.Second), func(d *sflow.Datagram) {
			c := s.counters(d, 2, 1)
			d.AddHostDescr(c, sflow.HostDescr{Hostname: []byte("batch01")})
		})
	}
	last := t0.Add(20 * time.Second)
	tests := []struct {
		after time.Duration
		hosts int
		state HostState
		stale int
	}{
		{25 * time.Second, 1, HostOK, 0},    // 2.5 polling intervals
		{35 * time.Second, 1, HostStale, 1}, // past 3
		{65 * time.Second, 1, HostGone, 1},  // past 6
		{105 * time.Second, 0, 0, 0},        // past 10: dropped
	}
	for _, tc := range tests {
		snap := f.Publish(last.Add(tc.after))
		if len(snap.Hosts) != tc.hosts || snap.Health.StaleHosts != tc.stale {
			t.Fatalf("%v after the last poll: %d hosts (%d stale), want %d (%d)", tc.after, len(snap.Hosts),
				snap.Health.StaleHosts, tc.hosts, tc.stale)
		}
		if tc.hosts > 0 && snap.Hosts[0].State != tc.state {
			t.Fatalf("%v after the last poll: state %v, want %v", tc.after, snap.Hosts[0].State, tc.state)
		}
		if tc.hosts > 0 && snap.Groups[0].StaleHosts != tc.stale {
			t.Fatalf("%v after the last poll: group StaleHosts %d, want %d", tc.after, snap.Groups[0].StaleHosts, tc.stale)
		}
	}
}

func TestAllowList(t *testing.T) {
	opt := testOptions()
	opt.Allow = []netip.Prefix{netip.MustParsePrefix("10.9.0.0/16")}
	f := NewFleet(opt)
	w := newWire(t)
	in, out := newSender("10.9.1.1", 1, 40001), newSender("192.0.2.7", 1, 40001)
	for range 3 {
		w.send(f, in, t0, func(*sflow.Datagram) {})
		w.send(f, out, t0, func(*sflow.Datagram) {})
	}
	snap := f.Publish(t0)
	if snap.Health.Disallowed != 3 || len(snap.Agents) != 1 || snap.Agents[0].Addr != in.addr {
		t.Fatalf("Disallowed %d, agents %+v; want 3 dropped and only %v", snap.Health.Disallowed, snap.Agents, in.addr)
	}
}
