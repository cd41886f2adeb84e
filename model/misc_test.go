package model

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// Many workers ingest while snapshots are published and the grouping switches: run with -race.
func TestConcurrentIngestAndPublish(t *testing.T) {
	f := NewFleet(testOptions())
	const workers, perWorker = 4, 300
	var wg sync.WaitGroup
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWire(t)
			hosts := []*sender{newSender(fmt.Sprintf("10.5.%d.1", g), 100000, 40001), newSender(fmt.Sprintf("10.5.%d.2", g), 100000, 40001)}
			sw := newSender(fmt.Sprintf("10.6.%d.1", g), 0, 6343)
			for i := range perWorker {
				now := t0.Add(time.Duration(i) * 100 * time.Millisecond)
				h := hosts[i%2]
				w.send(f, h, now, func(d *sflow.Datagram) {
					c := h.counters(d, 2, 1)
					d.AddHostDescr(c, sflow.HostDescr{Hostname: []byte(h.addr.String())})
					d.AddHostCPU(c, sflow.HostCPU{User: uint32(i * 100), Idle: uint32(i * 300)})
				})
				w.send(f, sw, now, func(d *sflow.Datagram) {
					s := sw.flow(d, 0, 1, 100)
					d.AddSampledIPv4(s, sflow.SampledIP{Length: 1000, Protocol: 6, SrcIP: sw.addr,
						DstIP: netip.AddrFrom4([4]byte{192, 0, 2, byte(i)}), DstPort: 443})
				})
			}
		}()
	}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	readers.Add(1)
	go func() {
		defer readers.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			f.SetGroupBy([]string{"appType", "environment"}[i%2])
			s := f.Publish(t0.Add(30 * time.Second))
			if f.Snapshot() != s { // this goroutine is the only publisher
				t.Error("Snapshot did not return the snapshot just published")
			}
		}
	}()
	wg.Wait()
	close(stop)
	readers.Wait()
	snap := f.Publish(t0.Add(30 * time.Second))
	if want := uint64(workers * perWorker * 2); snap.Health.Datagrams != want || snap.Health.Lost != 0 {
		t.Fatalf("Datagrams %d Lost %d, want %d and 0", snap.Health.Datagrams, snap.Health.Lost, want)
	}
	if len(snap.Hosts) != 2*workers {
		t.Fatalf("%d hosts, want %d", len(snap.Hosts), 2*workers)
	}
	// Datagrams ingested after a publish moved the windows to 30 s count in the bucket being filled: a bucket
	// later, every one of them is in a complete bucket.
	snap = f.Publish(t0.Add(40 * time.Second))
	if len(snap.TalkersBySrc) != workers {
		t.Fatalf("%d source talkers, want %d", len(snap.TalkersBySrc), workers)
	}
}

func TestRunPublishesAndKicks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) { // Run's ticker on the bubble's clock: only the kick can publish
		f := NewFleet(testOptions())
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			f.Run(ctx, time.Hour)
			close(done)
		}()
		synctest.Wait()
		if v := f.Snapshot().Version; v != 0 {
			t.Fatalf("initial snapshot version %d, want 0", v)
		}
		f.SetGroupBy("environment") // kicks
		synctest.Wait()
		if s := f.Snapshot(); s.Version == 0 || s.GroupBy != "environment" {
			t.Fatalf("after SetGroupBy: version %d, GroupBy %q; want a snapshot grouped by environment", s.Version,
				s.GroupBy)
		}
		cancel()
		synctest.Wait()
		select {
		case <-done:
		default:
			t.Fatal("Run did not return after its context was cancelled")
		}
	})
}

// A switch sends only interface counters: it becomes a device named by its address, not a host of any group,
// with the sum of its ports as its traffic, a series per port and its interfaces' figures.
func TestInterfaceOnlyDevice(t *testing.T) {
	f := NewFleet(testOptions())
	w := newWire(t)
	sw := newSender("10.7.0.1", 0, 6343)
	for k := range 2 {
		w.send(f, sw, t0.Add(time.Duration(k)*10*time.Second), func(d *sflow.Datagram) {
			for port := uint32(1); port <= 2; port++ {
				c := sw.counters(d, 0, port)
				d.AddIfCounters(c, sflow.IfCounters{Index: port, Speed: 1e9, InOctets: uint64(k) * 1e6 * uint64(port),
					OutOctets: uint64(k) * 5e5, InErrors: uint32(k * 10), InDiscards: sflow.Unavailable32,
					OutDiscards: uint32(k * 20 * int(port))})
				if port == 2 {
					d.AddPortName(c, sflow.PortName{Name: []byte("swp2")})
				}
			}
		})
	}
	snap := f.Publish(t0.Add(10 * time.Second))
	if len(snap.Hosts) != 0 || len(snap.Groups) != 0 || len(snap.Devices) != 1 || snap.Health.Devices != 1 {
		t.Fatalf("%d hosts, %d groups, %d devices (health %d), want the one device alone", len(snap.Hosts),
			len(snap.Groups), len(snap.Devices), snap.Health.Devices)
	}
	h := snap.Devices[0]
	if h.Device == nil || len(h.Device.Interfaces) != 2 {
		t.Fatalf("device info %+v, want 2 interfaces", h.Device)
	}
	for i, want := range []IfaceRow{
		{Index: 1, Speed: 1e9, In: 1e5, Out: 5e4, InPct: 0.08, OutPct: 0.04, InErrors: 1, OutDiscards: 2},
		{Index: 2, Name: "swp2", Speed: 1e9, In: 2e5, Out: 5e4, InPct: 0.16, OutPct: 0.04, InErrors: 1, OutDiscards: 4},
	} {
		got := h.Device.Interfaces[i]
		if got.Index != want.Index || got.Name != want.Name || got.Speed != want.Speed || !near(got.In, want.In) ||
			!near(got.Out, want.Out) || !near(got.InPct, want.InPct) || !near(got.OutPct, want.OutPct) ||
			!near(got.InErrors, want.InErrors) || !near(got.OutDiscards, want.OutDiscards) ||
			!math.IsNaN(got.InDiscards) {
			t.Errorf("interface %d: %+v, want %+v (in discards unavailable: NaN)", i, got, want)
		}
	}
	if d := h.Device; !near(d.MaxUtilPct, 0.16) || !near(d.Errors, 2) || !near(d.Discards, 6) {
		t.Errorf("device totals: max util %v errors %v discards %v, want 0.16 2 6", d.MaxUtilPct, d.Errors, d.Discards)
	}
	if h.ID != "10.7.0.1" || h.Name != "10.7.0.1" || !near(h.NetIn, 3e5) || !near(h.NetOut, 1e5) {
		t.Errorf("device %+v, want ID and name 10.7.0.1, NetIn 3e5, NetOut 1e5", h)
	}
	if s := findSeries(snap, h, "if.2.bytes_in"); s == nil || !near(s[len(s)-1], 2e5) {
		t.Errorf("if.2.bytes_in = %v, want ... 2e5", s)
	}
	if s := findSeries(snap, h, "if.1.errors"); s == nil || !near(s[len(s)-1], 3) {
		t.Errorf("if.1.errors = %v, want ... 3 (errors 1/s and out discards 2/s; in discards unavailable)", s)
	}
	if s := findSeries(snap, h, "if.2.utilisation"); s == nil || !nearPoint(s[len(s)-1], 100*8*2e5/1e9) {
		t.Errorf("if.2.utilisation = %v, want ... %v", s, 100*8*2e5/1e9)
	}
	if s := findSeries(snap, h, "net.bytes_in"); s == nil || !near(s[len(s)-1], 3e5) {
		t.Errorf("net.bytes_in = %v, want the ports' sum 3e5", s)
	}
}

// A VM that comes back under a new data source index with the same UUID stays one host.
func TestSameUUIDNewIndexIsOneHost(t *testing.T) {
	f := NewFleet(testOptions())
	w := newWire(t)
	hv := newSender("10.8.0.1", 100000, 40001)
	send := func(k int, index uint32) {
		w.send(f, hv, t0.Add(time.Duration(k)*10*time.Second), func(d *sflow.Datagram) {
			p := hv.counters(d, 2, 1)
			d.AddHostDescr(p, sflow.HostDescr{Hostname: []byte("hv01"), UUID: [16]byte{1}})
			v := hv.counters(d, 3, index)
			d.AddHostDescr(v, sflow.HostDescr{Hostname: []byte("vm07"), UUID: [16]byte{7}})
			d.AddHostParent(v, sflow.HostParent{ContainerType: 2, ContainerIndex: 1})
			d.AddHostNetIO(v, sflow.HostNetIO{Virt: true, BytesIn: uint64(k) * 1e5})
		})
	}
	send(0, 100003)
	send(1, 100003)
	send(2, 100009) // restarted under a new index
	snap := f.Publish(t0.Add(20 * time.Second))
	if len(snap.Hosts) != 2 {
		t.Fatalf("%d hosts, want hv01 and vm07", len(snap.Hosts))
	}
	vm := findHost(t, snap, "vm07")
	if vm.ID != "10.8.0.1/07000000-0000-0000-0000-000000000000" || vm.Parent != findHost(t, snap, "hv01").ID {
		t.Errorf("vm07 ID %q Parent %q", vm.ID, vm.Parent)
	}
	if s := findSeries(snap, vm, "net.bytes_in"); s == nil || !near(s[len(s)-2], 1e4) {
		t.Errorf("vm07 net.bytes_in = %v: the history from the old index is lost", s)
	}
}

// listenerStats is a listener's counters as of now.
type listenerStats sflow.ListenerStats

func (l *listenerStats) Stats() sflow.ListenerStats { return sflow.ListenerStats(*l) }

func TestRejectsAndDecodeErrors(t *testing.T) {
	f := NewFleet(testOptions())
	src := netip.MustParseAddrPort("10.9.0.1:6343")
	f.Reject(src, errors.New("bad version"), t0)
	f.Reject(src, errors.New("truncated"), t0)
	l := &listenerStats{QueueDrops: 5, KernelDrops: 2, RecvBuffer: 4 << 20}
	f.SetListener(l)
	// Datagrams whose second sample is cut short: the first is used, the error counted.
	w := newWire(t)
	for _, s := range []*sender{newSender("10.9.0.1", 7, 6343), newSender("10.9.0.2", 1, 6343)} {
		buf := w.encode(s, t0, func(d *sflow.Datagram) {
			c := s.counters(d, 2, 1)
			d.AddHostDescr(c, sflow.HostDescr{Hostname: []byte("half" + s.addr.String())})
			c2 := s.counters(d, 2, 2)
			d.AddHostCPU(c2, sflow.HostCPU{})
		})
		var d sflow.Datagram
		err := sflow.NewDecoder().Decode(buf[:len(buf)-8], &d)
		if err == nil || sflow.IsDatagramError(err) {
			t.Fatalf("decoding a datagram cut inside its last sample: %v, want a sample error", err)
		}
		f.Ingest(&d, netip.AddrPortFrom(s.addr, s.port), t0)
	}
	snap := f.Publish(t0)
	h := snap.Health
	if h.DecodeErrors != 4 || h.QueueDrops != 5 || h.KernelDrops != 2 || h.RecvBuffer != 4<<20 || h.Datagrams != 4 {
		t.Fatalf("health %+v: want 4 decode errors (2 rejects, 2 samples), the listener's 5 queue drops, 2 kernel "+
			"drops and 4 MiB, 4 datagrams", h)
	}
	// The listener's counters are read at every publish.
	l.QueueDrops, l.KernelDrops = 7, 3
	if h := f.Publish(t0.Add(time.Second)).Health; h.QueueDrops != 7 || h.KernelDrops != 3 {
		t.Errorf("after the listener counted more drops: queue %d kernel %d, want 7 and 3", h.QueueDrops,
			h.KernelDrops)
	}
	if len(snap.Hosts) != 2 || snap.Hosts[0].Name != "half10.9.0.1" || snap.Hosts[1].Name != "half10.9.0.2" {
		t.Fatalf("hosts %+v, want the ones from the good samples", snap.Hosts)
	}
	if len(snap.Agents) != 2 || snap.Agents[0].SubAgent != 7 || snap.Agents[0].DecodeErrors != 1 ||
		snap.Agents[1].DecodeErrors != 1 {
		t.Errorf("agent rows %+v, want 10.9.0.1 sub-agent 7 and 10.9.0.2, one decode error each", snap.Agents)
	}
}

func TestDatagramsPerSecond(t *testing.T) {
	f := NewFleet(testOptions())
	w := newWire(t)
	s := newSender("10.9.1.1", 1, 6343)
	for sec := range 10 {
		now := t0.Add(time.Duration(sec) * time.Second)
		for range 50 {
			w.send(f, s, now, func(*sflow.Datagram) {})
		}
		f.Publish(now)
	}
	// Over the last 5 s: 250 datagrams.
	if got := f.Snapshot().Health.DatagramsPerSec; !near(got, 50) {
		t.Fatalf("DatagramsPerSec = %v, want 50", got)
	}
}

// Applications on a machine without hsflowd: one host for the agent address, named by the JVM's host_descr;
// the legacy memcache counters (2200) count like 2204.
func TestApplicationsWithoutHostAgent(t *testing.T) {
	f := NewFleet(testOptions())
	w := newWire(t)
	jvm := newSender("10.10.0.1", 200000, 40004)
	mc := newSender("10.10.0.1", 0, 40003)
	for k := range 2 {
		now := t0.Add(time.Duration(k) * 10 * time.Second)
		w.send(f, jvm, now, func(d *sflow.Datagram) {
			s := jvm.counters(d, 3, 200000)
			d.AddHostDescr(s, sflow.HostDescr{Hostname: []byte("app01"), OSName: sflow.OSJava})
			d.AddJVMStatistics(s, sflow.JVMStatistics{HeapUsed: 5e8, GCCount: uint32(10 * k)})
		})
		w.send(f, mc, now, func(d *sflow.Datagram) {
			s := mc.counters(d, 3, 65537)
			d.AddMemcacheCounters(s, sflow.MemcacheCounters{Legacy: true, CmdGet: uint32(400 * k),
				GetHits: uint32(300 * k), GetMisses: uint32(100 * k), CmdSet: uint32(100 * k)})
		})
	}
	snap := f.Publish(t0.Add(10 * time.Second))
	if len(snap.Hosts) != 1 {
		t.Fatalf("%d hosts, want 1", len(snap.Hosts))
	}
	h := snap.Hosts[0]
	if h.Name != "app01" || h.ID != "10.10.0.1" || len(h.Apps) != 2 || h.Apps[0] != "jvm" || h.Apps[1] != "memcache" {
		t.Errorf("host %q ID %q apps %v, want app01, 10.10.0.1, [jvm memcache]", h.Name, h.ID, h.Apps)
	}
	if !near(h.MemcacheOps, 50) || !near(h.MemcacheHit, 75) || !near(h.JVMGCRate, 1) || !near(h.JVMHeapUsed, 5e8) {
		t.Errorf("MemcacheOps %v MemcacheHit %v JVMGCRate %v JVMHeapUsed %v, want 50 75 1 5e8", h.MemcacheOps,
			h.MemcacheHit, h.JVMGCRate, h.JVMHeapUsed)
	}
}
