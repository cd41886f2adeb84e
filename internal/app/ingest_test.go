package app

import (
	"context"
	"math"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/model"
)

// The ENC of the known mix, as a real classifier script: web1 and cache1 are classified, db1 is not (exit 1).
const encScript = `#!/bin/sh
case "$1" in
web1.test) printf 'classes:\n  - nginx\nenvironment: production\nparameters:\n  appType: web\n  ganglia_cluster_name: Web\n' ;;
cache1.test) printf 'classes:\n  memcached:\n    size: 64\nenvironment: staging\nparameters:\n  appType: memcached\n' ;;
*) exit 1 ;;
esac
`

var (
	web1    = netip.MustParseAddr("10.9.0.1")
	cache1  = netip.MustParseAddr("10.9.0.2")
	db1     = netip.MustParseAddr("10.9.0.3")
	switch1 = netip.MustParseAddr("10.9.0.254")
)

// knownMix builds the datagrams of a small fleet whose every figure can be worked out by hand.
type knownMix struct {
	d    sflow.Datagram
	out  [][]byte
	seqs map[netip.Addr]uint32
}

func (k *knownMix) start(agent netip.Addr, sub, uptime uint32) {
	k.d.Reset()
	k.d.AgentAddr, k.d.SubAgentID, k.d.Uptime = agent, sub, uptime
	if k.seqs == nil {
		k.seqs = map[netip.Addr]uint32{}
	}
	k.seqs[agent]++
	k.d.SequenceNumber = k.seqs[agent]
}

func (k *knownMix) finish(t *testing.T) {
	t.Helper()
	b, err := sflow.AppendDatagram(nil, &k.d)
	if err != nil {
		t.Fatal(err)
	}
	k.out = append(k.out, b)
}

// hostCounters is one hsflowd counters sample: cumulative cpu ms (busy, idle) and network bytes.
func (k *knownMix) hostCounters(t *testing.T, agent netip.Addr, name string, uptimeS, seq uint32, busy, idle uint32, bytesIn, bytesOut uint64) {
	k.start(agent, 100000, uptimeS*1000)
	s := k.d.AddSample(sflow.Sample{Kind: sflow.SampleKindCounters, Expanded: true, SequenceNumber: seq,
		SourceIDClass: 2, SourceIDIndex: 1})
	k.d.AddHostDescr(s, sflow.HostDescr{Hostname: []byte(name), MachineType: 3, OSName: sflow.OSLinux})
	k.d.AddHostCPU(s, sflow.HostCPU{CPUNum: 4, Uptime: uptimeS, User: busy, Idle: idle, Len80: true})
	k.d.AddHostMemory(s, sflow.HostMemory{Total: 8 << 30, Free: 2 << 30})
	k.d.AddHostNetIO(s, sflow.HostNetIO{BytesIn: bytesIn, BytesOut: bytesOut})
	k.finish(t)
}

// listening is collect's App for cfg, listening, until the test ends.
func listening(t *testing.T, cfg Config) (*App, context.Context) {
	t.Helper()
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() {
		a.Close()
		cancel()
	})
	if err := a.Listen(ctx); err != nil {
		t.Fatal(err)
	}
	return a, ctx
}

// steppingClock is a clock for Config.Clock that moves by step at every reading, from start: every datagram
// the model ingests lands in a series step of its own, however the network and the scheduler delay them.
type steppingClock struct {
	start time.Time
	step  time.Duration
	n     atomic.Int64
}

func (c *steppingClock) now() time.Time { return c.start.Add(time.Duration(c.n.Add(1)) * c.step) }

// after is a time past every reading so far, by k steps.
func (c *steppingClock) after(k int) time.Time {
	return c.start.Add(time.Duration(c.n.Load()+int64(k)) * c.step)
}

func TestIngestKnownMixOverLoopback(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "enc.sh")
	if err := os.WriteFile(script, []byte(encScript), 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := enc.ParseExecCommand(script)
	if err != nil {
		t.Fatal(err)
	}
	// The model places counter deltas, and measures polling intervals, by the time datagrams are ingested: each
	// gets a 100 ms step of its own on the stepping clock, and one worker ingests them in the order they were
	// sent, so every datagram's time is its place in k.out whatever the load on the machine.
	clock := &steppingClock{start: time.Unix(1_800_000_000, 0), step: 120 * time.Millisecond}
	st, ctx := listening(t, Config{Listen: "127.0.0.1:0", Workers: 1, Queue: 4096, GroupBy: "appType",
		ENC: ENCConfig{Source: src, Timeout: 5 * time.Second}, Window: time.Minute, Step: 100 * time.Millisecond,
		Clock: clock.now})

	var k knownMix
	// Host counters: two samples 10 s apart (by uptime) per host. web1: 300 of 1000 cpu ms busy → 30 %,
	// 50,000 bytes in over 10 s → 5,000 B/s. cache1: 10 % and 2,000 B/s. db1: 50 %.
	k.hostCounters(t, web1, "web1.test", 100, 1, 1000, 9000, 1_000_000, 0)
	k.hostCounters(t, cache1, "cache1.test", 100, 1, 500, 5000, 0, 0)
	k.hostCounters(t, db1, "db1.test", 100, 1, 0, 0, 0, 0)
	k.hostCounters(t, web1, "web1.test", 110, 2, 1300, 9700, 1_050_000, 20_000)
	k.hostCounters(t, cache1, "cache1.test", 110, 2, 600, 5900, 20_000, 0)
	k.hostCounters(t, db1, "db1.test", 110, 2, 500, 500, 0, 0)
	// web1's hsflowd skips two datagrams on purpose: sequence 3 → 6 loses 4 and 5
	k.seqs[web1] += 2
	k.hostCounters(t, web1, "web1.test", 120, 3, 1600, 10400, 1_100_000, 40_000)

	// mod-sflow on web1 (sub-agent 0, ds 3:80, 1 in 10): /a 200 ×6 at 1 ms, /b 503 ×2 at 3 ms
	k.start(web1, 0, 5000)
	for i := 0; i < 8; i++ {
		s := k.d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow, SequenceNumber: uint32(i + 1), SourceIDClass: 3,
			SourceIDIndex: 80, SamplingRate: 10, SamplePool: uint32(10 * (i + 1)), Output: sflow.Interface{Value: sflow.IfIndexInternal}})
		req := sflow.HTTPRequest{Method: sflow.HTTPMethodGet, Protocol: 1001, Host: []byte("www.test"),
			URI: []byte("/a"), Status: 200, DurationUS: 1000}
		if i >= 6 {
			req.URI, req.Status, req.DurationUS = []byte("/b"), 503, 3000
		}
		k.d.AddHTTPRequest(s, req)
		k.d.AddSocket(s, sflow.Socket{Protocol: 6, LocalIP: web1, RemoteIP: netip.MustParseAddr("192.0.2.9"),
			LocalPort: 80, RemotePort: 40000 + uint32(i)})
	}
	k.finish(t)

	// memcached on cache1 (ds 3:65537, 1 in 5): key k1 GET hit ×3, GET miss ×1, SET ×2
	k.start(cache1, 0, 5000)
	ops := []struct{ cmd, status uint32 }{{7, 1}, {7, 1}, {7, 1}, {7, 8}, {1, 5}, {1, 5}}
	for i, op := range ops {
		s := k.d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow, SequenceNumber: uint32(i + 1), SourceIDClass: 3,
			SourceIDIndex: 65537, SamplingRate: 5, SamplePool: uint32(5 * (i + 1)), Output: sflow.Interface{Value: sflow.IfIndexInternal}})
		k.d.AddMemcacheOp(s, sflow.MemcacheOp{Protocol: 1, Cmd: op.cmd, Key: []byte("k1"), NKeys: 1, ValueBytes: 100,
			DurationUS: 50, Status: op.status})
		k.d.AddSocket(s, sflow.Socket{Protocol: 6, LocalIP: cache1, RemoteIP: web1, LocalPort: 11211, RemotePort: 50000})
	}
	k.finish(t)

	// a switch samples 1 in 100: web1 → cache1 TCP 1000-byte frames ×4, cache1 → db1 UDP 500-byte frames ×2
	k.start(switch1, 0, 5000)
	frames := []struct {
		src, dst netip.Addr
		proto    uint8
		payload  int
	}{{web1, cache1, 6, 0}, {web1, cache1, 6, 0}, {web1, cache1, 6, 0}, {web1, cache1, 6, 0}, {cache1, db1, 17, 0}, {cache1, db1, 17, 0}}
	for i, f := range frames {
		spec := sflow.PacketSpec{SrcIP: f.src, DstIP: f.dst, Protocol: f.proto, SrcPort: 33000, DstPort: 11211}
		h, err := sflow.BuildSampledHeader(spec)
		if err != nil {
			t.Fatal(err)
		}
		if f.proto == 6 {
			h.FrameLength = 1000
		} else {
			h.FrameLength = 500
		}
		s := k.d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow, SequenceNumber: uint32(i + 1), SourceIDClass: 0,
			SourceIDIndex: 7, SamplingRate: 100, SamplePool: uint32(100 * (i + 1)), Input: sflow.Interface{Value: 7},
			Output: sflow.Interface{Value: 8}})
		k.d.AddSampledHeader(s, h)
	}
	k.finish(t)

	conn, err := net.Dial("udp", st.ListenAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, b := range k.out {
		if _, err := conn.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	// Waiting below is for conditions (the datagrams ingested, the classifier's answers), bounded by a deadline;
	// every figure comes from the stepping clock.
	deadline := time.Now().Add(20 * time.Second)
	for clock.n.Load() < int64(len(k.out)) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	lastIngested, at := clock.after(0), clock.after(1)
	var s *model.Snapshot
	for time.Now().Before(deadline) {
		st.SettleENC(ctx, at)
		s = st.fleet.Publish(at)
		if s.Health.Datagrams == uint64(len(k.out)) && len(s.Groups) >= 3 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}

	if s.Health.Datagrams != uint64(len(k.out)) || s.Health.QueueDrops != 0 || s.Health.DecodeErrors != 0 {
		t.Fatalf("health %+v, want %d datagrams, no drops, no errors", s.Health, len(k.out))
	}
	if s.Health.Lost != 2 {
		t.Errorf("lost = %d, want exactly the 2 datagrams skipped", s.Health.Lost)
	}

	hosts := map[string]*model.HostRow{}
	for _, h := range s.Hosts {
		hosts[h.Name] = h
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.IsNaN(got) || math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	w, c, d := hosts["web1.test"], hosts["cache1.test"], hosts["db1.test"]
	if w.Group != "web" || c.Group != "memcached" || d.Group != model.Unclassified {
		t.Errorf("groups: web1 %q, cache1 %q, db1 %q; want web, memcached, %s", w.Group, c.Group, d.Group, model.Unclassified)
	}
	if w.Environment != "production" || len(c.Classes) != 1 || c.Classes[0] != "memcached" {
		t.Errorf("ENC join: web1 environment %q, cache1 classes %v", w.Environment, c.Classes)
	}
	near("web1 cpu %", w.CPU, 30) // last delta: 300 busy of 1000
	near("web1 net in B/s", w.NetIn, 5000)
	near("web1 net out B/s", w.NetOut, 2000)
	near("cache1 cpu %", c.CPU, 10)
	near("cache1 net in B/s", c.NetIn, 2000)
	near("db1 cpu %", d.CPU, 50)

	// The top-N tables cover complete buckets only: from a snapshot whose window reaches past the last datagram
	// (by then the hosts' counters, 100 ms apart, are stale).
	for end := at.Add(time.Minute); !s.WindowEnd.After(lastIngested) && at.Before(end); {
		at = at.Add(100 * time.Millisecond)
		s = st.fleet.Publish(at)
	}
	// URLs: the status mix and latencies are exact; the two rates stand 6:2
	if len(s.URLs) != 2 {
		t.Fatalf("%d URL rows, want 2", len(s.URLs))
	}
	a, b := s.URLs[0], s.URLs[1]
	if a.Path != "/a" || b.Path != "/b" || a.Host != "www.test" {
		t.Fatalf("URL rows %q %q, want www.test /a then /b", a.Host+a.Path, b.Path)
	}
	near("/a 2xx share", a.Status[2], 1)
	near("/b 5xx share", b.Status[5], 1)
	near("/a mean ms", a.MeanMS, 1)
	near("/b mean ms", b.MeanMS, 3)
	near("/a:/b rate", a.Rate/b.Rate, 3)
	near("/a share", a.Share, 0.75)
	if a.Group != "web" {
		t.Errorf("/a group %q, want web", a.Group)
	}

	// memcache: hit ratio 3/4 of gets, cmd mix 4 GET : 2 SET
	if len(s.Keys) != 1 || s.Keys[0].Key != "k1" {
		t.Fatalf("keys %+v, want k1", s.Keys)
	}
	key := s.Keys[0]
	near("k1 hit ratio", key.HitRatio, 0.75)
	near("k1 GET share", key.Cmds[7], 4.0/6)
	near("k1 SET share", key.Cmds[1], 2.0/6)
	if key.Group != "memcached" {
		t.Errorf("k1 group %q, want memcached", key.Group)
	}

	// talkers: bytes 4×1000×100 vs 2×500×100, so 0.8 and 0.2 of the bytes; 1000 and 500 bytes a packet
	if len(s.TalkersByPair) != 2 {
		t.Fatalf("%d talker pairs, want 2", len(s.TalkersByPair))
	}
	p0, p1 := s.TalkersByPair[0], s.TalkersByPair[1]
	if p0.Src != web1 || p0.Dst != cache1 || p1.Src != cache1 || p1.Dst != db1 {
		t.Fatalf("pairs %v→%v, %v→%v", p0.Src, p0.Dst, p1.Src, p1.Dst)
	}
	near("pair 0 share", p0.Share, 0.8)
	near("pair 1 share", p1.Share, 0.2)
	near("pair 0 bytes/packet", p0.Bytes/p0.Packets, 1000)
	near("pair 1 bytes/packet", p1.Bytes/p1.Packets, 500)
	near("pair 0:1 packets", p0.Packets/p1.Packets, 2)
	if p0.SrcGroup != "web" || p0.DstGroup != "memcached" || p1.DstGroup != model.Unclassified {
		t.Errorf("talker groups: %s→%s, %s→%s", p0.SrcGroup, p0.DstGroup, p1.SrcGroup, p1.DstGroup)
	}
	if p0.Protocol != 6 || p1.Protocol != 17 {
		t.Errorf("protocols %d, %d; want 6, 17", p0.Protocol, p1.Protocol)
	}
}
