package model

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/internal/cputime"
)

// benchDatagram is one encoded datagram of a benchmark stream, with the time it is ingested at.
type benchDatagram struct {
	buf []byte
	src netip.AddrPort
	at  time.Duration // since t0
}

// switchStream returns datagrams as a switch sends them: 8 flow samples of 1-in-1000 sampled 128-byte headers
// (Ethernet, 802.1Q, IPv4, TCP) with extended_switch, about 1 400 bytes; addresses Zipf-distributed over 50 000
// hosts so that the talker tables churn.
func switchStream(t testing.TB, n int) []benchDatagram {
	w := newWire(t)
	r := rand.New(rand.NewPCG(1, 2))
	z := rand.NewZipf(r, 1.1, 1, 50_000)
	ip := func() netip.Addr {
		v := z.Uint64()
		return netip.AddrFrom4([4]byte{10, byte(v >> 16), byte(v >> 8), byte(v)})
	}
	sw := newSender("10.255.0.1", 0, 6343)
	out := make([]benchDatagram, n)
	for i := range out {
		at := time.Duration(i) * time.Millisecond
		buf := w.encode(sw, t0.Add(at), func(d *sflow.Datagram) {
			for j := range 8 {
				s := sw.flow(d, 0, uint32(1+j), 1000)
				s.Input = sflow.Interface{Value: uint32(1 + j)}
				s.Output = sflow.Interface{Value: uint32(20 + j)}
				d.AddSampledHeader(s, header(t, sflow.PacketSpec{SrcIP: ip(), DstIP: ip(), Protocol: 6,
					SrcPort: uint16(1024 + r.IntN(60000)), DstPort: 443, VLANs: []uint16{10}, PayloadLen: 1400}))
				d.AddExtSwitch(s, sflow.ExtSwitch{SrcVLAN: 10, DstVLAN: 10})
			}
		})
		out[i] = benchDatagram{buf: append([]byte(nil), buf...), src: netip.AddrPortFrom(sw.addr, 6343), at: at}
	}
	return out
}

// hostStream returns hsflowd counter datagrams of 200 hosts, polls 10 s apart: host_descr, adapters, cpu,
// memory, disk, net.
func hostStream(t testing.TB, n int) []benchDatagram {
	w := newWire(t)
	const hosts = 200
	senders := make([]*sender, hosts)
	for i := range senders {
		senders[i] = newSender(fmt.Sprintf("10.%d.%d.1", i/250, i%250), 100000, 40001)
	}
	out := make([]benchDatagram, n)
	for i := range out {
		h, round := i%hosts, i/hosts
		s := senders[h]
		at := time.Duration(round)*10*time.Second + time.Duration(h)*time.Millisecond
		k := uint32(round)
		buf := w.encode(s, t0.Add(at), func(d *sflow.Datagram) {
			c := s.counters(d, 2, 1)
			d.AddHostDescr(c, sflow.HostDescr{Hostname: []byte(fmt.Sprintf("host%03d.example.com", h)),
				UUID: [16]byte{byte(h), byte(h >> 8), 1}, OSName: sflow.OSLinux, MachineType: 3, OSRelease: []byte("6.1.0")})
			a := sflow.HostAdapters{}
			a.AddAdapter(2, [6]byte{2, 0, 0, 0, byte(h >> 8), byte(h)})
			d.AddHostAdapters(c, a)
			d.AddHostCPU(c, sflow.HostCPU{LoadOne: 0.5, CPUNum: 8, User: 1000 * k, System: 300 * k, Idle: 8000 * k, Len80: true})
			d.AddHostMemory(c, sflow.HostMemory{Total: 32 << 30, Free: 8 << 30, Buffers: 1 << 30, Cached: 4 << 30})
			d.AddHostDiskIO(c, sflow.HostDiskIO{Total: 1e12, Free: 4e11, BytesRead: 1e6 * uint64(k), BytesWritten: 3e6 * uint64(k)})
			d.AddHostNetIO(c, sflow.HostNetIO{BytesIn: 5e7 * uint64(k), BytesOut: 2e7 * uint64(k)})
		})
		out[i] = benchDatagram{buf: append([]byte(nil), buf...), src: netip.AddrPortFrom(s.addr, 40001), at: at}
	}
	return out
}

// appStream returns mod-sflow and memcached datagrams: 4 http_request samples with sockets, or 6 memcache
// operations, over Zipf-distributed URLs and keys.
func appStream(t testing.TB, n int) []benchDatagram {
	w := newWire(t)
	r := rand.New(rand.NewPCG(3, 4))
	z := rand.NewZipf(r, 1.1, 1, 100_000)
	web := newSender("10.0.0.1", 0, 40002)
	mc := newSender("10.0.0.2", 0, 40003)
	out := make([]benchDatagram, n)
	for i := range out {
		at := time.Duration(i) * time.Millisecond
		var buf []byte
		var src netip.AddrPort
		if i%2 == 0 {
			buf = w.encode(web, t0.Add(at), func(d *sflow.Datagram) {
				for range 4 {
					s := web.flow(d, 3, 80, 10)
					d.AddHTTPRequest(s, sflow.HTTPRequest{Method: sflow.HTTPMethodGet, Protocol: 1001,
						URI:  []byte(fmt.Sprintf("/catalog/item/%d?ref=home", z.Uint64())),
						Host: []byte("shop.example.com"), UserAgent: []byte("Mozilla/5.0"), Status: 200,
						RespBytes: 5000, DurationUS: uint32(500 + r.IntN(20000))})
					d.AddSocket(s, sflow.Socket{Protocol: 6, LocalIP: web.addr, RemoteIP: netip.MustParseAddr("192.0.2.9"),
						LocalPort: 80, RemotePort: uint32(1024 + r.IntN(60000))})
				}
			})
			src = netip.AddrPortFrom(web.addr, web.port)
		} else {
			buf = w.encode(mc, t0.Add(at), func(d *sflow.Datagram) {
				for range 6 {
					s := mc.flow(d, 3, 65537, 50)
					d.AddMemcacheOp(s, sflow.MemcacheOp{Protocol: sflow.MemcacheProtoASCII, Cmd: sflow.MemcacheCmdGet,
						Key: []byte(fmt.Sprintf("session:%d", z.Uint64())), NKeys: 1, ValueBytes: 300, DurationUS: 40,
						Status: sflow.MemcacheStatusOK})
					d.AddSocket(s, sflow.Socket{Protocol: 6, LocalIP: mc.addr, RemoteIP: web.addr, LocalPort: 11211,
						RemotePort: uint32(1024 + r.IntN(60000))})
				}
			})
			src = netip.AddrPortFrom(mc.addr, mc.port)
		}
		out[i] = benchDatagram{buf: append([]byte(nil), buf...), src: src, at: at}
	}
	return out
}

// fleetStream returns the datagrams of the simulated 600-host fleet (hosts, applications, switches) over
// enough virtual seconds for n datagrams, each at its virtual time.
//
// With FLEETTOP_BENCH_STREAM=FILE the stream is read from FILE when it exists, else made and written there (a
// length-prefixed list of datagrams, not a pcap: an older build must read it too). Builds with different
// simulators then ingest the same datagrams, as a capture would give them.
func fleetStream(t testing.TB, n int) []benchDatagram {
	if name := os.Getenv("FLEETTOP_BENCH_STREAM"); name != "" {
		if b, err := os.ReadFile(name); err == nil {
			return readStream(t, b, n)
		}
		out := makeFleetStream(t, n)
		var b []byte
		for _, x := range out {
			b = binary.BigEndian.AppendUint64(b, uint64(x.at))
			b = binary.BigEndian.AppendUint32(b, uint32(len(x.buf)))
			b = append(b, x.buf...)
		}
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return out
	}
	return makeFleetStream(t, n)
}

// readStream reads the first n datagrams FLEETTOP_BENCH_STREAM's file holds.
func readStream(t testing.TB, b []byte, n int) []benchDatagram {
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	var out []benchDatagram
	for len(b) >= 12 && len(out) < n {
		at, size := time.Duration(binary.BigEndian.Uint64(b)), int(binary.BigEndian.Uint32(b[8:]))
		if len(b) < 12+size {
			break
		}
		buf := bytes.Clone(b[12 : 12+size])
		b = b[12+size:]
		if err := dec.Decode(buf, &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, benchDatagram{buf: buf, src: netip.AddrPortFrom(d.AgentAddr, 6343), at: at})
	}
	if len(out) < n {
		t.Fatalf("the stream file holds %d datagrams, not %d", len(out), n)
	}
	return out
}

func makeFleetStream(t testing.TB, n int) []benchDatagram {
	fl := sim.New(sim.Options{Seed: 7, Hosts: 600, Start: t0})
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	out := make([]benchDatagram, 0, n)
	for at := 10 * time.Millisecond; len(out) < n; at += 10 * time.Millisecond {
		err := fl.Tick(t0.Add(at), func(buf []byte) error {
			if err := dec.Decode(buf, &d); err != nil {
				return err
			}
			if len(out) < n {
				out = append(out, benchDatagram{buf: bytes.Clone(buf), src: netip.AddrPortFrom(d.AgentAddr, 6343), at: at})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// BenchmarkIngest measures decode + aggregate per datagram on one goroutine; dgrams/s/core is 1e9 / ns/op.
func BenchmarkIngest(b *testing.B) {
	kinds := []struct {
		name   string
		stream func(testing.TB, int) []benchDatagram
		n      int
	}{
		{"switch", switchStream, 4000},
		{"host", hostStream, 4000},
		{"app", appStream, 4000},
		{"fleet600", fleetStream, 40000}, // 42 s of the fleet: every agent several times
	}
	for _, k := range kinds {
		b.Run("kind="+k.name, func(b *testing.B) {
			stream := k.stream(b, k.n)
			span := stream[len(stream)-1].at + time.Millisecond
			bytes := 0
			for _, d := range stream {
				bytes += len(d.buf)
			}
			f := NewFleet(Options{})
			dec := sflow.NewDecoder()
			var d sflow.Datagram
			// Warm up over laps that span more than the top-N window and its open buckets, and until every
			// shard's flow store is full (a collector a few minutes after it started): the tables fill, the maps
			// grow, the buffers reach their size.
			laps := int(70*time.Second/span) + 1
			for lap := 0; lap < laps || (!f.flowStoresFull() && lap < 1000); lap++ {
				laps = max(laps, lap+1)
				for _, x := range stream {
					if err := dec.Decode(x.buf, &d); err != nil {
						b.Fatal(err)
					}
					f.Ingest(&d, x.src, t0.Add(time.Duration(lap)*span+x.at))
				}
			}
			runtime.GC() // the stream's garbage is not the benchmark's
			b.SetBytes(int64(bytes / len(stream)))
			b.ReportAllocs()
			b.ResetTimer()
			cpu := startCPU()
			for i := 0; i < b.N; i++ {
				x := &stream[i%len(stream)]
				_ = dec.Decode(x.buf, &d)
				lap := time.Duration(i/len(stream)+laps) * span
				f.Ingest(&d, x.src, t0.Add(lap+x.at))
			}
			cpu.report(b)
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "dgrams/s/core")
		})
	}
}

// BenchmarkIngestLive is ingest as a live collector runs it on the 600-host fleet: every datagram decoded and
// aggregated, and a snapshot published once a (virtual) second, as Fleet.Run does. ns/op is the CPU a datagram
// costs with the per-second work (window buckets completing, publishing) shared out over the datagrams of
// that second.
func BenchmarkIngestLive(b *testing.B) {
	stream := fleetStream(b, 40000)
	span := stream[len(stream)-1].at + time.Millisecond
	f := NewFleet(Options{})
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	next := t0.Add(time.Second)
	feed := func(i int) {
		x := &stream[i%len(stream)]
		now := t0.Add(time.Duration(i/len(stream))*span + x.at)
		if now.After(next) {
			f.Publish(now)
			next = now.Add(time.Second)
		}
		_ = dec.Decode(x.buf, &d)
		f.Ingest(&d, x.src, now)
	}
	warm := (int(70*time.Second/span) + 1) * len(stream)
	for i := 0; i < warm || (!f.flowStoresFull() && i < 1000*len(stream)); i++ {
		feed(i)
		warm = max(warm, i+1)
	}
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for i := 0; i < b.N; i++ {
		feed(warm + i)
	}
	cpu.report(b)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "dgrams/s/core")
}

// BenchmarkPublish measures building a snapshot of 200 hosts and full tables.
func BenchmarkPublish(b *testing.B) {
	f := NewFleet(Options{})
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	var last time.Duration
	for _, stream := range [][]benchDatagram{hostStream(b, 2000), switchStream(b, 2000), appStream(b, 2000)} {
		for _, x := range stream {
			if err := dec.Decode(x.buf, &d); err != nil {
				b.Fatal(err)
			}
			f.Ingest(&d, x.src, t0.Add(x.at))
			last = max(last, x.at)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Publish(t0.Add(last))
	}
}

// cpuMeter reports a benchmark's CPU time per op (cpu-ns/op), from processCPU. With FLEETTOP_BENCH_PROFILE=FILE
// it also writes a CPU profile of the measured loop only (go test's -cpuprofile includes the warm-up, which
// here is longer than the measurement).
type cpuMeter struct {
	start time.Duration
	ok    bool
	prof  *os.File
}

func startCPU() cpuMeter {
	var m cpuMeter
	if name := os.Getenv("FLEETTOP_BENCH_PROFILE"); name != "" {
		if f, err := os.Create(name); err == nil && pprof.StartCPUProfile(f) == nil {
			m.prof = f
		}
	}
	m.start, m.ok = cputime.Process()
	return m
}

func (m cpuMeter) report(b *testing.B) {
	if t, ok := cputime.Process(); ok && m.ok && b.N > 0 {
		b.ReportMetric(float64(t-m.start)/float64(b.N), "cpu-ns/op")
	}
	if m.prof != nil {
		pprof.StopCPUProfile()
		m.prof.Close()
	}
}

// flowStoresFull says whether every shard's flow store has dropped a record: its rings are at their bounds.
func (f *Fleet) flowStoresFull() bool {
	for _, sh := range f.shards {
		sh.mu.Lock()
		full := sh.flows.first > 0
		sh.mu.Unlock()
		if !full {
			return false
		}
	}
	return true
}
