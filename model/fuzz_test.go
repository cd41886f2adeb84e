package model

import (
	"bytes"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// FuzzIngest feeds whatever the decoder makes of arbitrary bytes to a fleet, twice (so counter deltas and
// sequences are exercised), then publishes and writes the snapshot: nothing may panic, and the JSON must be
// written.
func FuzzIngest(f *testing.F) {
	w := newWire(f)
	m := newMachine("10.0.0.1")
	sw := newSender("10.1.0.1", 0, 6343)
	seeds := [][]byte{
		w.encode(m.hsflowd, t0, func(d *sflow.Datagram) {
			s := m.hsflowd.counters(d, 2, 1)
			d.AddHostDescr(s, sflow.HostDescr{Hostname: []byte("web01"), UUID: uuidWeb, OSName: sflow.OSLinux})
			d.AddHostCPU(s, sflow.HostCPU{User: 100, Idle: 900, Len80: true})
			d.AddHostMemory(s, sflow.HostMemory{Total: 1 << 30, Free: 1 << 29})
			d.AddHostNetIO(s, sflow.HostNetIO{BytesIn: 1e6})
			v := m.hsflowd.counters(d, 3, 100001)
			d.AddHostDescr(v, sflow.HostDescr{Hostname: []byte("vm")})
			d.AddHostParent(v, sflow.HostParent{ContainerType: 2, ContainerIndex: 1})
			d.AddVirtCPU(v, sflow.VirtCPU{CPUTime: 5, NrVirtCPU: 1})
		}),
		w.encode(m.modSflow, t0, func(d *sflow.Datagram) {
			s := m.modSflow.flow(d, 3, 80, 10)
			d.AddHTTPRequest(s, sflow.HTTPRequest{URI: []byte("/a?b"), Host: []byte("h"), Status: 200, DurationUS: 5})
			d.AddSocket(s, sflow.Socket{LocalIP: netip.MustParseAddr("10.0.0.9"), RemoteIP: netip.MustParseAddr("10.0.0.8")})
			c := m.modSflow.counters(d, 3, 80)
			d.AddHTTPCounters(c, sflow.HTTPCounters{Status2XX: 5})
		}),
		w.encode(m.memcached, t0, func(d *sflow.Datagram) {
			s := m.memcached.flow(d, 3, 65537, 5)
			d.AddMemcacheOp(s, sflow.MemcacheOp{Cmd: sflow.MemcacheCmdGet, Key: []byte("k\x00"), Status: sflow.MemcacheStatusOK})
			c := m.memcached.counters(d, 3, 65537)
			d.AddMemcacheCounters(c, sflow.MemcacheCounters{Legacy: true, GetHits: 3, CmdGet: 4})
		}),
		w.encode(m.jvm, t0, func(d *sflow.Datagram) {
			s := m.jvm.counters(d, 3, 200000)
			d.AddHostDescr(s, sflow.HostDescr{Hostname: []byte("web01"), OSName: sflow.OSJava})
			d.AddJVMStatistics(s, sflow.JVMStatistics{HeapUsed: 5, GCCount: 1})
		}),
		w.encode(sw, t0, func(d *sflow.Datagram) {
			s := sw.flow(d, 0, 3, 1000)
			d.AddSampledHeader(s, header(f, sflow.PacketSpec{SrcIP: netip.MustParseAddr("10.0.0.1"),
				DstIP: netip.MustParseAddr("10.0.0.2"), Protocol: 6, SrcPort: 1, DstPort: 2, VLANs: []uint16{5}}))
			d.AddSampledIPv6(s, sflow.SampledIP{Length: 100, SrcIP: netip.MustParseAddr("::1"), DstIP: netip.MustParseAddr("::2")})
			c := sw.counters(d, 0, 3)
			d.AddIfCounters(c, sflow.IfCounters{Index: 3, Speed: 1e9, InOctets: 5})
			d.AddProcessor(c, sflow.Processor{CPU5s: 500, TotalMemory: 100, FreeMemory: 50})
		}),
	}
	for _, s := range seeds {
		f.Add(bytes.Clone(s))
	}
	f.Fuzz(func(t *testing.T, buf []byte) {
		fl := NewFleet(Options{Capacity: 4, Shards: 2, Step: 10 * time.Second, History: time.Minute})
		dec := sflow.NewDecoder()
		var d sflow.Datagram
		src := netip.MustParseAddrPort("10.0.0.1:6343")
		for i := range 2 {
			now := t0.Add(time.Duration(i) * 10 * time.Second)
			if err := dec.Decode(buf, &d); err != nil && sflow.IsDatagramError(err) {
				fl.Reject(src, err, now)
				continue
			}
			fl.Ingest(&d, src, now)
		}
		snap := fl.Publish(t0.Add(10 * time.Second))
		if err := snap.WriteJSON(io.Discard); err != nil {
			t.Fatalf("WriteJSON: %v", err)
		}
	})
}
