package model

import (
	"net/netip"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// lossFlow adds one flow sample of source 0:7 at rate 100 with the given sequence number, pool and drops, and a
// sampled header from src, so the talkers table shows whether the sample was counted.
func lossFlow(t *testing.T, d *sflow.Datagram, seq, pool, drops uint32, src string) {
	s := d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow, SequenceNumber: seq, SourceIDIndex: 7,
		SamplingRate: 100, SamplePool: pool, Drops: drops})
	d.AddSampledHeader(s, header(t, sflow.PacketSpec{SrcIP: netip.MustParseAddr(src),
		DstIP: netip.MustParseAddr("10.9.9.9"), Protocol: 17, SrcPort: 1, DstPort: 2, PayloadLen: 100}))
}

func agentRow(t *testing.T, s *Snapshot, addr string, sub uint32) AgentRow {
	t.Helper()
	for _, a := range s.Agents {
		if a.Addr == netip.MustParseAddr(addr) && a.SubAgent == sub {
			return *a
		}
	}
	t.Fatalf("no agent %s/%d among %d", addr, sub, len(s.Agents))
	return AgentRow{}
}

func TestLossAccounting(t *testing.T) {
	f := NewFleet(testOptions())
	w := newWire(t)
	sw := newSender("10.1.0.1", 0, 40010)
	now := t0

	// Ten datagrams, one flow sample each (sequence 1..10, pool 100 apart, drops from a lifetime 5000 up by 3
	// each). Sent as: 1 2 4 3 (reordered), 4 again (duplicate), 6 (5 lost), 7 with samples 8 and 9 removed
	// from the source's sequence, i.e. the sample of datagram 7 has sequence 9.
	type dg struct {
		seq, sample uint32
		dup         bool
	}
	plan := []dg{{1, 1, false}, {2, 2, false}, {4, 4, false}, {3, 3, false}, {4, 4, true}, {6, 6, false},
		{7, 9, false}, {8, 10, false}}
	var raw [][]byte
	for _, p := range plan {
		now = now.Add(time.Second)
		if p.dup {
			if err := w.dec.Decode(raw[2], &w.out); err != nil {
				t.Fatal(err)
			}
			f.Ingest(&w.out, netip.AddrPortFrom(sw.addr, sw.port), now)
			continue
		}
		sw.seq = p.seq - 1
		b := w.encode(sw, now, func(d *sflow.Datagram) {
			lossFlow(t, d, p.sample, 100*p.sample, 5000+3*p.sample, "10.5.0."+string(rune('0'+p.seq)))
		})
		raw = append(raw, append([]byte(nil), b...))
		if err := w.dec.Decode(b, &w.out); err != nil {
			t.Fatal(err)
		}
		f.Ingest(&w.out, netip.AddrPortFrom(sw.addr, sw.port), now)
	}
	snap := f.Publish(now.Add(20 * time.Second)) // the tables' window then covers every datagram
	a := agentRow(t, snap, "10.1.0.1", 0)
	// Datagram 5 lost; samples 5, 7 and 8 lost; drops: from the baseline 5003 to 5030 = 27.
	if a.Datagrams != 8 || a.Samples != 7 || a.Lost != 1 || a.Duplicates != 1 || a.Restarts != 0 ||
		a.LostSamples != 3 || a.SampleDrops != 27 {
		t.Errorf("agent row %+v\nwant 8 datagrams, 7 samples, 1 lost, 1 duplicate, 0 restarts, 3 lost samples, 27 drops", a)
	}
	// Pool from 100 to 1000 over 6 samples counted after the first (2, 4, 3, 6, 9, 10): 900 / 6 = 150.
	if a.DeclaredRate != 100 || a.EffectiveRate != 150 {
		t.Errorf("sampling rate declared %v effective %v, want 100 and 150", a.DeclaredRate, a.EffectiveRate)
	}
	if len(snap.TalkersBySrc) != 7 {
		t.Errorf("%d talkers, want 7 (the duplicate not counted again)", len(snap.TalkersBySrc))
	}
	for _, r := range snap.TalkersBySrc {
		if r.Packets != snap.TalkersBySrc[0].Packets {
			t.Errorf("talker %v: %v packets/s, %v for %v: want the same (one sample each)", r.Src, r.Packets,
				snap.TalkersBySrc[0].Packets, snap.TalkersBySrc[0].Src)
		}
	}
	h := snap.Health
	if h.Lost != 1 || h.Duplicates != 1 || h.LostSamples != 3 || h.SampleDrops != 27 || h.Restarts != 0 {
		t.Errorf("health %+v", h)
	}
}

// An agent that restarts sends from a new UDP port: a restart, whatever the port; two processes that both call
// themselves sub-agent 0 on one host (mod-sflow and memcached) are not restarts of each other.
func TestRestartFromNewPort(t *testing.T) {
	f := NewFleet(testOptions())
	w := newWire(t)
	modSflow := newSender("10.0.0.2", 0, 40001)
	memcached := newSender("10.0.0.2", 0, 40002)
	memcached.boot = t0.Add(-30 * time.Minute)
	now := t0
	tick := func(senders ...*sender) {
		for _, s := range senders {
			now = now.Add(300 * time.Millisecond)
			w.send(f, s, now, func(d *sflow.Datagram) { s.flow(d, 3, uint32(s.port), 10) })
		}
	}
	for range 5 {
		tick(modSflow, memcached)
	}
	if a := agentRow(t, f.Publish(now), "10.0.0.2", 0); a.Restarts != 0 || a.Lost != 0 || a.LostSamples != 0 {
		t.Fatalf("two processes side by side: %+v", a)
	}
	// memcached restarts: a new port, sequence and uptime from the start.
	restarted := newSender("10.0.0.2", 0, 40003)
	restarted.boot = now.Add(100 * time.Millisecond) // after memcached's last datagram
	restarted.flows = map[uint64]uint32{3<<32 | 40002: 0}
	for range 5 {
		now = now.Add(300 * time.Millisecond)
		w.send(f, restarted, now, func(d *sflow.Datagram) { restarted.flow(d, 3, 40002, 10) })
		tick(modSflow)
	}
	a := agentRow(t, f.Publish(now), "10.0.0.2", 0)
	if a.Restarts != 1 || a.Lost != 0 || a.LostSamples != 0 || a.Duplicates != 0 {
		t.Fatalf("after memcached restarted on a new port: %+v, want 1 restart, nothing lost", a)
	}
	if h := f.Publish(now).Health; h.Restarts != 1 {
		t.Fatalf("health restarts %d, want 1", h.Restarts)
	}
}

// One forged datagram (sequence and drops far ahead) adds no more than the plausibility bound to lost and drops.
func TestForgedDatagramBounded(t *testing.T) {
	f := NewFleet(testOptions())
	w := newWire(t)
	ag := newSender("10.1.0.9", 0, 40010)
	now := t0
	send := func(seq, sample, drops uint32) {
		now = now.Add(time.Second)
		ag.seq = seq - 1
		w.send(f, ag, now, func(d *sflow.Datagram) { lossFlow(t, d, sample, 100*sample, drops, "10.5.0.1") })
	}
	for i := uint32(1); i <= 5; i++ {
		send(i, i, 10)
	}
	send(1<<31-2, 1<<31-2, 1<<31-2) // forged: sequence, sample sequence and drops below 2^31 ahead
	send(2_000_000_000, 6, 2_000_000_000)
	for i := uint32(6); i <= 10; i++ {
		send(i, i+1, 10+i)
	}
	a := agentRow(t, f.Publish(now), "10.1.0.9", 0)
	if a.Lost > minJump || a.SampleDrops > minJump || a.LostSamples > minJump {
		t.Fatalf("forged datagrams made %+v; each may add at most %d", a, minJump)
	}
	if a.Lost != 0 || a.LostSamples != 0 {
		t.Errorf("lost %d, lost samples %d after forged jumps: want 0 (a jump that large is a resync)", a.Lost, a.LostSamples)
	}
}
