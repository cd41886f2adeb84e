package model

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// hostFleet is a fleet of n hsflowd hosts (one in ten also running mod-sflow), each polled every n/perPoll
// seconds of virtual time: a fixed share of them reports in every second.
type hostFleet struct {
	w     *wire
	hosts []*sender
	apps  []*sender // mod-sflow on every tenth host; nil elsewhere
	polls []int     // polls sent per host
	next  int       // the host whose turn is next
}

func newHostFleet(t testing.TB, n int) *hostFleet {
	hf := &hostFleet{w: newWire(t), hosts: make([]*sender, n), apps: make([]*sender, n), polls: make([]int, n)}
	for i := range n {
		addr := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}).String()
		hf.hosts[i] = newSender(addr, 100000, 40001)
		if i%10 == 0 {
			hf.apps[i] = newSender(addr, 0, 40002)
		}
	}
	return hf
}

// poll sends the next host's counters at now.
func (hf *hostFleet) poll(f *Fleet, now time.Time) {
	i := hf.next
	hf.next = (hf.next + 1) % len(hf.hosts)
	k := uint64(hf.polls[i])
	hf.polls[i]++
	s := hf.hosts[i]
	hf.w.send(f, s, now, func(d *sflow.Datagram) {
		c := s.counters(d, 2, 1)
		d.AddHostDescr(c, sflow.HostDescr{Hostname: []byte(fmt.Sprintf("host%05d.example.com", i)),
			UUID: [16]byte{byte(i), byte(i >> 8), byte(i >> 16), 1}, OSName: sflow.OSLinux, MachineType: 3,
			OSRelease: []byte("6.1.0")})
		d.AddHostCPU(c, sflow.HostCPU{LoadOne: 0.5, CPUNum: 8, User: uint32(1000 * k), System: uint32(300 * k),
			Idle: uint32(8000 * k), Len80: true})
		d.AddHostMemory(c, sflow.HostMemory{Total: 32 << 30, Free: 8 << 30, Buffers: 1 << 30, Cached: 4 << 30})
		d.AddHostDiskIO(c, sflow.HostDiskIO{Total: 1e12, Free: 4e11, BytesRead: 1e6 * k, BytesWritten: 3e6 * k})
		d.AddHostNetIO(c, sflow.HostNetIO{BytesIn: 5e7 * k, BytesOut: 2e7 * k})
	})
	if a := hf.apps[i]; a != nil {
		hf.w.send(f, a, now, func(d *sflow.Datagram) {
			c := a.counters(d, 3, 80)
			d.AddHTTPCounters(c, sflow.HTTPCounters{MethodGet: uint32(900 * k), Status2XX: uint32(880 * k),
				Status5XX: uint32(20 * k)})
		})
	}
}

// BenchmarkPublishHosts measures one publish of a fleet of idle hosts with steady traffic on 1 % of them:
// every virtual second 1 % of the hosts report (each host every 100 s), then a snapshot is published. The
// ingest is not timed.
func BenchmarkPublishHosts(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 20_000, 50_000} {
		b.Run(fmt.Sprintf("hosts=%d", n), func(b *testing.B) {
			f := NewFleet(Options{})
			hf := newHostFleet(b, n)
			perSec := n / 100
			now := t0
			// Two polls of every host (rates need two), then one publish that sees them all.
			for range 2 * 100 {
				now = now.Add(time.Second)
				for range perSec {
					hf.poll(f, now)
				}
			}
			if s := f.Publish(now); len(s.Hosts) != n {
				b.Fatalf("%d hosts published, want %d", len(s.Hosts), n)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				now = now.Add(time.Second)
				for range perSec {
					hf.poll(f, now)
				}
				b.StartTimer()
				f.Publish(now)
			}
		})
	}
}
