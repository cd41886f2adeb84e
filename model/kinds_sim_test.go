package model

import (
	"math"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
)

// counterPair is the last two records of one counter of a data source, with the agent's uptime at each.
type counterPair[T any] struct {
	prev, cur     T
	prevUp, curUp uint32
	n             int
}

func (c *counterPair[T]) push(v T, up uint32) {
	c.prev, c.prevUp = c.cur, c.curUp
	c.cur, c.curUp = v, up
	c.n++
}

// rate is Δ per second of the agent's uptime between the last two records.
func (c *counterPair[T]) rate(f func(T) float64) float64 {
	return (f(c.cur) - f(c.prev)) / (float64(c.curUp-c.prevUp) / 1000)
}

// kindsTruth is what the JVM and device figures should be, from the simulated datagrams alone.
type kindsTruth struct {
	switches map[netip.Addr]bool
	jvm      map[netip.Addr]*counterPair[sflow.JVMStatistics]
	ifc      map[netip.Addr]map[uint32]*counterPair[sflow.IfCounters]
}

func newKindsTruth(fl *sim.Fleet) *kindsTruth {
	k := &kindsTruth{switches: map[netip.Addr]bool{}, jvm: map[netip.Addr]*counterPair[sflow.JVMStatistics]{},
		ifc: map[netip.Addr]map[uint32]*counterPair[sflow.IfCounters]{}}
	for _, sw := range fl.Switches() {
		k.switches[sw.Addr] = true
	}
	return k
}

func (k *kindsTruth) add(d *sflow.Datagram) {
	for i := range d.Samples {
		s := &d.Samples[i]
		if s.Kind != sflow.SampleKindCounters {
			continue
		}
		for j := range s.Records {
			r := &s.Records[j]
			switch {
			case r.Type == sflow.RecJVMStatistics:
				c := k.jvm[d.AgentAddr]
				if c == nil {
					c = &counterPair[sflow.JVMStatistics]{}
					k.jvm[d.AgentAddr] = c
				}
				c.push(*d.JVMStatistics(r), d.Uptime)
			case r.Type == sflow.RecIfCounters && k.switches[d.AgentAddr]:
				v := d.IfCounters(r)
				ports := k.ifc[d.AgentAddr]
				if ports == nil {
					ports = map[uint32]*counterPair[sflow.IfCounters]{}
					k.ifc[d.AgentAddr] = ports
				}
				c := ports[v.Index]
				if c == nil {
					c = &counterPair[sflow.IfCounters]{}
					ports[v.Index] = c
				}
				c.push(*v, d.Uptime)
			}
		}
	}
}

// jvmRow is the truth's JVMRow of one agent's JVM.
func (k *kindsTruth) jvmRow(c *counterPair[sflow.JVMStatistics]) JVMRow {
	j := c.cur
	return JVMRow{JVMs: 1, HeapUsed: float64(j.HeapUsed), HeapCommitted: float64(j.HeapCommitted),
		HeapMax: float64(j.HeapMax), HeapPct: 100 * float64(j.HeapUsed) / float64(j.HeapMax),
		GCRate:    c.rate(func(s sflow.JVMStatistics) float64 { return float64(s.GCCount) }),
		GCTimePct: c.rate(func(s sflow.JVMStatistics) float64 { return float64(s.GCTime) }) / 10,
		Threads:   float64(j.ThreadsLive), FDsOpen: float64(j.FDOpen)}
}

// within2 reports whether got is within 2 % of want.
func within2(got, want float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= 0.02*math.Abs(want)+1e-9
}

// The demo fleet's JVMs, per host and per group, match what their jvm_statistics records say: gauges as
// sent, GC count and GC time per second of the agent's uptime, the group's sums, mean and worst host.
func TestJVMsMatchSimulatedTruth(t *testing.T) { synctest.Test(t, testJVMsMatchSimulatedTruth) }

func testJVMsMatchSimulatedTruth(t *testing.T) {
	fl := sim.New(sim.Options{Seed: 3, Hosts: 60, Start: t0})
	truth := newKindsTruth(fl)
	s := simPlay(t, fl, 60*time.Second, truth.add)
	appType := map[netip.Addr]string{}
	for _, h := range fl.Hosts() {
		appType[h.Addr] = h.AppType
	}
	type groupTruth struct {
		hosts                                          int
		used, committed, limit, rate, gc, threads, fds float64
		gcMax, heapMax                                 float64
	}
	groups := map[string]*groupTruth{}
	jvmHosts := 0
	for _, h := range s.Hosts {
		c := truth.jvm[h.Agent]
		if h.JVM == nil {
			if c != nil {
				t.Errorf("host %s: no JVM figures, but its agent sends jvm_statistics", h.Name)
			}
			continue
		}
		if c == nil || c.n < 2 {
			t.Errorf("host %s: JVM figures %+v, but the truth has %v", h.Name, h.JVM, c)
			continue
		}
		jvmHosts++
		want := truth.jvmRow(c)
		got := *h.JVM
		for _, f := range []struct {
			name      string
			got, want float64
		}{{"heap used", got.HeapUsed, want.HeapUsed}, {"heap committed", got.HeapCommitted, want.HeapCommitted},
			{"heap max", got.HeapMax, want.HeapMax}, {"heap %", got.HeapPct, want.HeapPct},
			{"GC/s", got.GCRate, want.GCRate}, {"GC time %", got.GCTimePct, want.GCTimePct},
			{"threads", got.Threads, want.Threads}, {"fds", got.FDsOpen, want.FDsOpen}} {
			if !within2(f.got, f.want) {
				t.Errorf("host %s %s: %v, want %v", h.Name, f.name, f.got, f.want)
			}
		}
		if got.JVMs != 1 {
			t.Errorf("host %s: %d JVMs, want 1", h.Name, got.JVMs)
		}
		g := groups[appType[h.Agent]]
		if g == nil {
			g = &groupTruth{gcMax: math.Inf(-1), heapMax: math.Inf(-1)}
			groups[appType[h.Agent]] = g
		}
		g.hosts++
		g.used += want.HeapUsed
		g.committed += want.HeapCommitted
		g.limit += want.HeapMax
		g.rate += want.GCRate
		g.gc += want.GCTimePct
		g.threads += want.Threads
		g.fds += want.FDsOpen
		g.gcMax = math.Max(g.gcMax, want.GCTimePct)
		g.heapMax = math.Max(g.heapMax, want.HeapPct)
	}
	if jvmHosts == 0 || len(groups) == 0 {
		t.Fatal("no host with a JVM: the test tests nothing")
	}
	for _, g := range s.Groups {
		want := groups[g.Name]
		if want == nil {
			if g.JVM.Hosts != 0 || !math.IsNaN(g.JVM.GCTimePct) {
				t.Errorf("group %s: JVM figures %+v, want none", g.Name, g.JVM)
			}
			continue
		}
		got := g.JVM
		if got.Hosts != want.hosts || got.JVMs != want.hosts {
			t.Errorf("group %s: %d hosts with %d JVMs, want %d", g.Name, got.Hosts, got.JVMs, want.hosts)
		}
		for _, f := range []struct {
			name      string
			got, want float64
		}{{"heap used", got.HeapUsed, want.used}, {"heap committed", got.HeapCommitted, want.committed},
			{"heap max", got.HeapMax, want.limit}, {"heap %", got.HeapPct, 100 * want.used / want.limit},
			{"heap % max", got.HeapPctMax, want.heapMax}, {"GC/s", got.GCRate, want.rate},
			{"GC time %", got.GCTimePct, want.gc / float64(want.hosts)}, {"GC time % max", got.GCTimePctMax, want.gcMax},
			{"threads", got.Threads, want.threads}, {"fds", got.FDsOpen, want.fds}} {
			if !within2(f.got, f.want) {
				t.Errorf("group %s %s: %v, want %v", g.Name, f.name, f.got, f.want)
			}
		}
		// The sparklines end with the current figures' kind of value: a GC time % series with points.
		h := g.History
		if len(h.JVMGCTimePct) == 0 || len(h.JVMHeapPct) == 0 || !anyNumber(h.JVMGCTimePct) || !anyNumber(h.JVMHeapPct) {
			t.Errorf("group %s: JVM series %v %v, want points", g.Name, h.JVMGCTimePct, h.JVMHeapPct)
		}
		delete(groups, g.Name)
	}
	for name := range groups {
		t.Errorf("group %s has JVMs in the truth but not in the snapshot", name)
	}
}

func anyNumber(pts []float64) bool {
	for _, v := range pts {
		if !math.IsNaN(v) {
			return true
		}
	}
	return false
}

// The demo fleet's switches are devices, not hosts: no group counts them (unclassified no longer holds their
// traffic), and each interface's utilisation, errors and discards match its if_counters.
func TestSwitchesAreDevices(t *testing.T) { synctest.Test(t, testSwitchesAreDevices) }

func testSwitchesAreDevices(t *testing.T) {
	fl := sim.New(sim.Options{Seed: 3, Hosts: 60, Start: t0})
	truth := newKindsTruth(fl)
	s := simPlay(t, fl, 60*time.Second, truth.add)
	if len(s.Devices) != len(fl.Switches()) || len(s.Devices) != 4 || s.Health.Devices != 4 {
		t.Fatalf("%d devices (health %d), want the demo's 4 switches", len(s.Devices), s.Health.Devices)
	}
	for _, h := range s.Hosts {
		if truth.switches[h.Agent] {
			t.Errorf("switch %s listed as a host of group %q", h.Agent, h.Group)
		}
	}
	hosts := 0
	for _, g := range s.Groups {
		hosts += g.Hosts
		if g.Name == Unclassified {
			t.Errorf("group %s with %d hosts: every simulated host has an ENC node, switches are devices", g.Name, g.Hosts)
		}
	}
	if hosts != len(s.Hosts) || hosts != len(fl.Hosts()) {
		t.Errorf("groups count %d hosts, snapshot lists %d, the fleet has %d", hosts, len(s.Hosts), len(fl.Hosts()))
	}
	checked, busy := 0, 0
	for _, d := range s.Devices {
		if !truth.switches[d.Agent] || d.Device == nil {
			t.Fatalf("device %s (%+v): want a switch with interfaces", d.Agent, d.Device)
		}
		ports := truth.ifc[d.Agent]
		if len(d.Device.Interfaces) != len(ports) {
			t.Errorf("device %s: %d interfaces, want %d", d.Agent, len(d.Device.Interfaces), len(ports))
		}
		var in float64
		for _, ifc := range d.Device.Interfaces {
			c := ports[ifc.Index]
			if c == nil || c.n < 2 {
				t.Errorf("device %s interface %d: not in the truth", d.Agent, ifc.Index)
				continue
			}
			rate := func(f func(sflow.IfCounters) float64) float64 { return c.rate(f) }
			speed := float64(c.cur.Speed)
			wantIn := rate(func(v sflow.IfCounters) float64 { return float64(v.InOctets) })
			wantOut := rate(func(v sflow.IfCounters) float64 { return float64(v.OutOctets) })
			for _, f := range []struct {
				name      string
				got, want float64
			}{{"speed", ifc.Speed, speed}, {"in", ifc.In, wantIn}, {"out", ifc.Out, wantOut},
				{"in %", ifc.InPct, 100 * 8 * wantIn / speed}, {"out %", ifc.OutPct, 100 * 8 * wantOut / speed},
				{"in errors", ifc.InErrors, rate(func(v sflow.IfCounters) float64 { return float64(v.InErrors) })},
				{"out discards", ifc.OutDiscards, rate(func(v sflow.IfCounters) float64 { return float64(v.OutDiscards) })},
			} {
				if !within2(f.got, f.want) {
					t.Errorf("device %s interface %d %s: %v, want %v", d.Agent, ifc.Index, f.name, f.got, f.want)
				}
			}
			if wantIn > 0 {
				busy++
			}
			in += wantIn
			checked++
		}
		if !within2(d.Device.In, in) {
			t.Errorf("device %s: in %v B/s, want its interfaces' %v", d.Agent, d.Device.In, in)
		}
	}
	if checked == 0 || busy == 0 {
		t.Fatalf("%d interfaces checked, %d with traffic: the test tests nothing", checked, busy)
	}
}
