package model

import (
	"math"
	"net/netip"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// t0 is a time on a 10 s boundary, so the tests' bins and buckets line up with their samples.
var t0 = time.Unix(1_700_000_000, 0)

// wire builds datagrams with the sflow builder, encodes them, decodes them again and ingests the result: the
// model sees exactly what it would see from the network.
type wire struct {
	t   testing.TB
	in  sflow.Datagram
	out sflow.Datagram
	dec *sflow.Decoder
	buf []byte
}

func newWire(t testing.TB) *wire { return &wire{t: t, dec: sflow.NewDecoder()} }

// sender is an sFlow agent in a test: its address, sub-agent and UDP port, its sequence and uptime.
type sender struct {
	addr   netip.Addr
	sub    uint32
	port   uint16
	seq    uint32
	boot   time.Time         // uptime counts from here
	sample uint32            // counter sample sequence, per sender for simplicity
	flows  map[uint64]uint32 // flow sample sequence per data source class<<32 | index
}

func newSender(addr string, sub uint32, port uint16) *sender {
	return &sender{addr: netip.MustParseAddr(addr), sub: sub, port: port, boot: t0.Add(-time.Hour)}
}

// encode builds one datagram from s at now with fill, encodes it, and returns the bytes.
func (w *wire) encode(s *sender, now time.Time, fill func(d *sflow.Datagram)) []byte {
	w.t.Helper()
	s.seq++
	w.in.Reset()
	w.in.AgentAddr = s.addr
	w.in.SubAgentID = s.sub
	w.in.SequenceNumber = s.seq
	w.in.Uptime = uint32(now.Sub(s.boot).Milliseconds())
	fill(&w.in)
	buf, err := sflow.AppendDatagram(w.buf[:0], &w.in)
	if err != nil {
		w.t.Fatalf("encode: %v", err)
	}
	w.buf = buf
	return buf
}

// send encodes, decodes and ingests one datagram from s at now.
func (w *wire) send(f *Fleet, s *sender, now time.Time, fill func(d *sflow.Datagram)) {
	w.t.Helper()
	buf := w.encode(s, now, fill)
	if err := w.dec.Decode(buf, &w.out); err != nil {
		w.t.Fatalf("decode what was encoded: %v", err)
	}
	f.Ingest(&w.out, netip.AddrPortFrom(s.addr, s.port), now)
}

// counters adds a counters sample for data source class:index to d.
func (s *sender) counters(d *sflow.Datagram, class, index uint32) *sflow.Sample {
	s.sample++
	return d.AddSample(sflow.Sample{Kind: sflow.SampleKindCounters, SequenceNumber: s.sample,
		SourceIDClass: class, SourceIDIndex: index})
}

// flow adds a flow sample for data source class:index with the given sampling rate to d: the next sample of
// that source, its pool grown by the rate.
func (s *sender) flow(d *sflow.Datagram, class, index, rate uint32) *sflow.Sample {
	if s.flows == nil {
		s.flows = map[uint64]uint32{}
	}
	k := uint64(class)<<32 | uint64(index)
	s.flows[k]++
	return d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow, SequenceNumber: s.flows[k], SourceIDClass: class,
		SourceIDIndex: index, SamplingRate: rate, SamplePool: s.flows[k] * rate})
}

func header(t testing.TB, spec sflow.PacketSpec) sflow.SampledHeader {
	t.Helper()
	h, err := sflow.BuildSampledHeader(spec)
	if err != nil {
		t.Fatalf("BuildSampledHeader: %v", err)
	}
	return h
}

func near(got, want float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want))
}

// nearPoint compares a series point: series keep float32 precision.
func nearPoint(got, want float64) bool {
	return math.Abs(got-want) <= 1e-6*math.Max(1, math.Abs(want))
}

func findHost(t testing.TB, s *Snapshot, name string) *HostRow {
	t.Helper()
	var found *HostRow
	for i := range s.Hosts {
		if s.Hosts[i].Name == name {
			if found != nil {
				t.Fatalf("two hosts named %q", name)
			}
			found = s.Hosts[i]
		}
	}
	if found == nil {
		t.Fatalf("no host named %q among %d hosts", name, len(s.Hosts))
	}
	return found
}

// findSeries returns the points of a host series ending at the snapshot's step.
func findSeries(snap *Snapshot, h *HostRow, name string) []float64 {
	for i := range h.Series {
		if h.Series[i].Name == name {
			return snap.Aligned(&h.Series[i])
		}
	}
	return nil
}

func findGroup(s *Snapshot, name string) *GroupRow {
	for i := range s.Groups {
		if s.Groups[i].Name == name {
			return &s.Groups[i]
		}
	}
	return nil
}

// testOptions are small, fixed options: 10 s steps and polls, one shard count for every machine.
func testOptions() Options {
	return Options{Step: 10 * time.Second, History: 5 * time.Minute, PollInterval: 10 * time.Second, Shards: 4,
		Window: 60 * time.Second, Buckets: 6, Capacity: 64, TopN: 10}
}
