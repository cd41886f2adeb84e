// Package losstest computes the loss figures a collector must show for a stream of sFlow datagrams, for tests:
// from the sets of sequence numbers each agent process and data source sent, not by following the stream as
// the model does, so that the two can be compared.
package losstest

import (
	"bytes"
	"fmt"
	"net/netip"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
)

// Datagram is one datagram a simulated fleet emitted, with the socket it left by and the virtual time.
type Datagram struct {
	Bytes  []byte
	Socket int // sim.Fleet.TickFrom's socket index: a new one after each restart of the agent
	At     time.Time
}

// Capture ticks f in steps of step up to end and returns every datagram it emitted.
func Capture(f *sim.Fleet, end time.Time, step time.Duration) ([]Datagram, error) {
	var out []Datagram
	for now := f.Now().Add(step); !now.After(end); now = now.Add(step) {
		err := f.TickFrom(now, func(b []byte, socket int) error {
			out = append(out, Datagram{Bytes: bytes.Clone(b), Socket: socket, At: now})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Run is a capture of an impaired fleet with the figures it must show.
type Run struct {
	Datagrams []Datagram
	Want      map[Agent]*Figures
	Totals    Figures
}

// Impaired captures dur of f (in steps of 50 ms) and works out its figures. It fails when a loss figure stayed
// zero: the fleet's impairments must show in every one.
func Impaired(f *sim.Fleet, dur time.Duration) (*Run, error) {
	dgs, err := Capture(f, f.Now().Add(dur), 50*time.Millisecond)
	if err != nil {
		return nil, err
	}
	want, err := Expect(dgs)
	if err != nil {
		return nil, err
	}
	r := &Run{Datagrams: dgs, Want: want, Totals: Totals(want)}
	if t := r.Totals; t.Lost == 0 || t.Duplicates == 0 || t.Restarts == 0 || t.SampleDrops == 0 || t.LostSamples == 0 {
		return nil, fmt.Errorf("the fleet impaired too little: %+v", t)
	}
	return r, nil
}

// Replay decodes every datagram and hands it to ingest at its virtual time, from 127.0.0.1 port 40000 + its
// socket index.
func (r *Run) Replay(ingest func(d *sflow.Datagram, src netip.AddrPort, now time.Time)) error {
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	for i, dg := range r.Datagrams {
		if err := dec.Decode(dg.Bytes, &d); err != nil {
			return fmt.Errorf("datagram %d: %w", i, err)
		}
		ingest(&d, netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(40000+dg.Socket)), dg.At)
	}
	return nil
}

// End is the time of the last datagram.
func (r *Run) End() time.Time { return r.Datagrams[len(r.Datagrams)-1].At }

// Agent is an sFlow agent row: address and sub-agent.
type Agent struct {
	Addr netip.Addr
	Sub  uint32
}

// Figures are an agent's loss figures as model.AgentRow names them.
type Figures struct {
	Datagrams, Samples, Lost, Duplicates, Restarts, SampleDrops, LostSamples uint64
	DeclaredRate, EffectiveRate                                              float64
}

// process is one agent process: an agent row and the socket it sent from.
type process struct {
	agent  Agent
	socket int
}

// source is the flow samples of one data source of one process.
type source struct {
	seqs               map[uint32]bool
	min, max           uint32
	firstDrops         uint32 // of the first sample to arrive
	firstPool, maxPool uint32 // pool of the first to arrive and of the highest sequence number
	maxDrops           uint32 // drops of the highest sequence number
	rate               uint32
	firstProcess       bool // the first process of its agent that sent this data source: its drops are a baseline
}

// Expect returns the figures every agent of dgs must show: lost datagrams and samples are the holes between
// the lowest and highest sequence number each process (data source) sent, duplicates the repeats; the
// samples of a duplicate are not counted; restarts are the sockets an agent moved to; a data source's drops
// count from the first value to arrive (from zero in a process after a restart); the effective sampling rate
// is the pool a data source's samples cover over the samples counted after the first.
func Expect(dgs []Datagram) (map[Agent]*Figures, error) {
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	figs := map[Agent]*Figures{}
	seqs := map[process]map[uint32]bool{}
	sources := map[process]map[uint64]*source{}
	seenSource := map[Agent]map[uint64]bool{}
	sockets := map[Agent]map[int]bool{}
	for i, dg := range dgs {
		if err := dec.Decode(dg.Bytes, &d); err != nil {
			return nil, fmt.Errorf("datagram %d: %w", i, err)
		}
		ag := Agent{d.AgentAddr, d.SubAgentID}
		p := process{ag, dg.Socket}
		f := figs[ag]
		if f == nil {
			f = &Figures{}
			figs[ag] = f
			seenSource[ag] = map[uint64]bool{}
			sockets[ag] = map[int]bool{}
		}
		sockets[ag][dg.Socket] = true
		f.Datagrams++
		if seqs[p] == nil {
			seqs[p] = map[uint32]bool{}
			sources[p] = map[uint64]*source{}
		}
		if seqs[p][d.SequenceNumber] {
			f.Duplicates++
			continue
		}
		seqs[p][d.SequenceNumber] = true
		f.Samples += uint64(len(d.Samples))
		for j := range d.Samples {
			s := &d.Samples[j]
			if s.Kind != sflow.SampleKindFlow {
				continue
			}
			k := uint64(s.SourceIDClass)<<32 | uint64(s.SourceIDIndex)
			src := sources[p][k]
			if src == nil {
				src = &source{seqs: map[uint32]bool{}, min: s.SequenceNumber, max: s.SequenceNumber,
					firstDrops: s.Drops, firstPool: s.SamplePool, maxPool: s.SamplePool, maxDrops: s.Drops,
					rate: s.SamplingRate, firstProcess: !seenSource[ag][k]}
				sources[p][k] = src
				seenSource[ag][k] = true
			}
			src.seqs[s.SequenceNumber] = true
			src.min = min(src.min, s.SequenceNumber)
			if s.SequenceNumber >= src.max {
				src.max, src.maxPool, src.maxDrops = s.SequenceNumber, s.SamplePool, s.Drops
			}
		}
	}
	rates := map[Agent]*[3]float64{} // pool, samples, rate × samples
	for p, set := range seqs {
		f := figs[p.agent]
		lo, hi := ^uint32(0), uint32(0)
		for s := range set {
			lo, hi = min(lo, s), max(hi, s)
		}
		f.Lost += uint64(hi-lo+1) - uint64(len(set))
		for _, src := range sources[p] {
			f.LostSamples += uint64(src.max-src.min+1) - uint64(len(src.seqs))
			f.SampleDrops += uint64(src.maxDrops)
			if src.firstProcess {
				f.SampleDrops -= uint64(src.firstDrops)
			}
			r := rates[p.agent]
			if r == nil {
				r = &[3]float64{}
				rates[p.agent] = r
			}
			n := float64(len(src.seqs) - 1)
			r[0] += float64(src.maxPool - src.firstPool)
			r[1] += n
			r[2] += float64(src.rate) * n
		}
	}
	for ag, f := range figs {
		f.Restarts = uint64(len(sockets[ag]) - 1)
		if r := rates[ag]; r != nil && r[1] > 0 {
			f.EffectiveRate, f.DeclaredRate = r[0]/r[1], r[2]/r[1]
		}
	}
	return figs, nil
}

// Totals sums the figures of every agent.
func Totals(figs map[Agent]*Figures) Figures {
	var t Figures
	for _, f := range figs {
		t.Datagrams += f.Datagrams
		t.Samples += f.Samples
		t.Lost += f.Lost
		t.Duplicates += f.Duplicates
		t.Restarts += f.Restarts
		t.SampleDrops += f.SampleDrops
		t.LostSamples += f.LostSamples
	}
	return t
}
