package tree

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/model/query"
)

// steadyFleet sends a stream whose rates do not change: hosts whose counters grow at a constant rate, polled
// every 10 s at staggered phases, and switches that sample a fixed set of flows as a Poisson process of
// constant intensity.
type steadyFleet struct {
	t      *testing.T
	f      *model.Fleet
	dec    *sflow.Decoder
	in     sflow.Datagram
	out    sflow.Datagram
	rng    *rand.Rand
	hosts  []steadyHost
	flows  []steadyFlow
	seq    map[netip.Addr]uint32
	smpSeq uint32
	start  time.Time
}

type steadyHost struct {
	addr  netip.Addr
	name  string
	rate  float64 // bytes in per second
	phase time.Duration
}

type steadyFlow struct {
	sw       netip.Addr
	src, dst netip.Addr
	samples  float64 // mean samples per second
	length   uint32
}

const (
	steadyPoll = 10 * time.Second
	steadyRate = 100 // sampling rate of every flow sample
)

func newSteadyFleet(t *testing.T, f *model.Fleet, start time.Time) *steadyFleet {
	s := &steadyFleet{t: t, f: f, dec: sflow.NewDecoder(), rng: rand.New(rand.NewPCG(11, 12)),
		seq: map[netip.Addr]uint32{}, start: start}
	for i := range 40 {
		s.hosts = append(s.hosts, steadyHost{
			addr:  netip.AddrFrom4([4]byte{10, 20, 0, byte(1 + i)}),
			name:  fmt.Sprintf("%s%02d", []string{"web", "db", "cache", "search"}[i%4], i),
			rate:  1e6 * float64(1+i%7),
			phase: time.Duration(i) * steadyPoll / 40,
		})
	}
	for i := range 30 {
		s.flows = append(s.flows, steadyFlow{
			sw:      netip.AddrFrom4([4]byte{10, 255, 0, byte(1 + i%4)}),
			src:     netip.AddrFrom4([4]byte{10, 20, 0, byte(1 + i)}),
			dst:     netip.AddrFrom4([4]byte{198, 51, 100, byte(1 + i)}),
			samples: 20 + float64(i%10)*8,
			length:  uint32(200 + 40*i),
		})
	}
	return s
}

// send encodes, decodes and ingests one datagram of agent at now.
func (s *steadyFleet) send(agent netip.Addr, sub uint32, now time.Time, fill func(d *sflow.Datagram)) {
	s.t.Helper()
	s.seq[agent]++
	s.in.Reset()
	s.in.AgentAddr, s.in.SubAgentID, s.in.SequenceNumber = agent, sub, s.seq[agent]
	s.in.Uptime = uint32(now.Sub(s.start.Add(-time.Hour)).Milliseconds())
	fill(&s.in)
	buf, err := sflow.AppendDatagram(nil, &s.in)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.dec.Decode(buf, &s.out); err != nil {
		s.t.Fatal(err)
	}
	s.f.Ingest(&s.out, netip.AddrPortFrom(agent, 6343), now)
}

// second plays the second that ends at end: each host polls when its phase falls in it, and each flow's
// samples of the second go out spread over it.
func (s *steadyFleet) second(end time.Time) {
	begin := end.Add(-time.Second)
	for i := range s.hosts {
		h := &s.hosts[i]
		for at := s.start.Add(h.phase); !at.After(end); at = at.Add(steadyPoll) {
			if !at.After(begin) {
				continue
			}
			el := at.Sub(s.start).Seconds()
			s.send(h.addr, 100000, at, func(d *sflow.Datagram) {
				c := d.AddSample(sflow.Sample{Kind: sflow.SampleKindCounters, SequenceNumber: s.seq[h.addr],
					SourceIDClass: 2, SourceIDIndex: 1})
				d.AddHostDescr(c, sflow.HostDescr{Hostname: []byte(h.name), OSName: sflow.OSLinux})
				d.AddHostNetIO(c, sflow.HostNetIO{BytesIn: uint64(1e9 + h.rate*el), BytesOut: uint64(h.rate * el / 2)})
			})
		}
	}
	for i := range s.flows {
		fl := &s.flows[i]
		n := poisson(s.rng, fl.samples)
		for k := range n {
			at := begin.Add(time.Duration(k+1) * time.Second / time.Duration(n+1))
			s.send(fl.sw, 0, at, func(d *sflow.Datagram) {
				s.smpSeq++
				smp := d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow, SequenceNumber: s.smpSeq,
					SourceIDIndex: 1, SamplingRate: steadyRate, SamplePool: s.smpSeq * steadyRate})
				d.AddSampledIPv4(smp, sflow.SampledIP{Length: fl.length, Protocol: 6, SrcIP: fl.src, DstIP: fl.dst,
					SrcPort: 443, DstPort: 40000})
			})
		}
	}
}

func poisson(r *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// A steady stream moves no shown rate by more than 2 % from one snapshot to the next, and a live window's
// sumSeries of the group series at the present agrees with the groups' totals within 2 %.
func TestSteadyStreamIsSmooth(t *testing.T) {
	if testing.Short() {
		t.Skip("plays 150 s of a steady fleet through the model and the tree, seconds of CPU: run without -short")
	}
	start := time.Unix(1_700_000_000, 0)
	f := model.NewFleet(model.Options{PollInterval: steadyPoll})
	nodes := map[string]*enc.Node{}
	s := newSteadyFleet(t, f, start)
	for _, h := range s.hosts {
		nodes[h.name] = &enc.Node{Parameters: map[string]enc.Value{
			"appType": {Kind: enc.KindScalar, Text: h.name[:len(h.name)-2], Tag: "!!str"}}}
	}
	res := enc.NewResolver(enc.NewStaticSource(nodes), enc.Options{})
	defer res.Close()
	f.SetENC(res)
	tr := New(f, Options{})
	ev := &query.Evaluator{Origins: []query.Origin{{Name: "fleettop", Source: tr}}}

	var prev *model.Snapshot
	checked := 0
	for sec := 1; sec <= 150; sec++ {
		now := start.Add(time.Duration(sec) * time.Second)
		s.second(now)
		snap := f.Publish(now)
		if sec < 75 { // the window (60 s and its open bucket) and every poll phase filled
			prev = snap
			continue
		}
		checked++
		for name, rows := range map[string][2][]float64{
			"talkers by pair": {talkerBytes(prev.TalkersByPair), talkerBytes(snap.TalkersByPair)},
			"talkers by src":  {talkerBytes(prev.TalkersBySrc), talkerBytes(snap.TalkersBySrc)},
			"groups in":       {groupIn(prev), groupIn(snap)},
		} {
			a, b := rows[0], rows[1]
			if len(a) != len(b) || len(a) == 0 {
				t.Fatalf("%v: %s has %d rows, %d the second before", now, name, len(b), len(a))
			}
			for i := range a {
				if d := math.Abs(b[i]-a[i]) / a[i]; d > 0.02 {
					t.Errorf("%v: %s row %d moved %.2f%% in a second (%v → %v)", now, name, i, 100*d, a[i], b[i])
				}
			}
		}
		// The window's sum of the group series at the present against the groups' totals.
		total := 0.0
		for _, g := range snap.Groups {
			total += g.NetIn
		}
		ss, err := ev.Eval(context.Background(), query.Target{Expr: "sumSeries(groups.*.net.bytes_in)"},
			now.Add(-5*time.Minute), now)
		if err != nil || len(ss) != 1 {
			t.Fatalf("sumSeries: %v, %d series", err, len(ss))
		}
		last := math.NaN()
		for _, v := range ss[0].Values {
			if !math.IsNaN(v) {
				last = v
			}
		}
		if d := math.Abs(last-total) / total; !(d <= 0.02) {
			t.Errorf("%v: the window's sumSeries ends at %v, the groups' total is %v (%.1f%% off)", now, last, total, 100*d)
		}
		prev = snap
	}
	if checked < 60 {
		t.Fatalf("checked %d snapshots", checked)
	}
}

// talkerBytes lists the rows' rates in a fixed order (by key), so rows are compared with themselves.
func talkerBytes(rows []model.TalkerRow) []float64 {
	byKey := map[string]float64{}
	keys := []string{}
	for _, r := range rows {
		k := r.Src.String() + ">" + r.Dst.String()
		byKey[k] = r.Bytes
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]float64, len(keys))
	for i, k := range keys {
		out[i] = byKey[k]
	}
	return out
}

func groupIn(s *model.Snapshot) []float64 {
	out := make([]float64, len(s.Groups))
	for i, g := range s.Groups {
		out[i] = g.NetIn
	}
	return out
}
