package model

import (
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// flowSource is the loss account of one flow data source of an agent: its flow-sample sequence numbers, its
// drops counter and its sample_pool.
type flowSource struct {
	seq      sequence
	rate     rateMeter // samples/s, for the plausibility bound
	lastSeen int64     // unix ns
	gen      uint32    // the agent stream generation of the newest sample (agent.gen)
	drops    uint32    // the newest drops counter (sflow.Unavailable32 when the agent does not count)

	// The effective sampling rate is poolGain / samples: how many packets the samples counted stand for.
	pool         uint32 // sample_pool of the newest sample
	poolGain     uint64 // what sample_pool gained between the samples counted
	samples      uint64 // samples counted after the first (or after the first since a restart)
	samplingRate uint32 // declared by the newest sample
}

// maxPoolSkip bounds a plausible sample_pool gain between consecutive samples, in sampling rates: the packets
// between two samples are geometric with the sampling rate as mean, so more than 100 of those means a counter
// that restarted or a forged datagram, never sampling.
const maxPoolSkip = 100

// flowLoss accounts the loss figures of one flow sample: its sequence number (gaps are lost samples), its
// drops counter (counted as deltas: the first value seen is a baseline) and its sample_pool.
func (sh *shard) flowLoss(d *sflow.Datagram, s *sflow.Sample, now time.Time, ag *agent) {
	k := uint64(s.SourceIDClass)<<32 | uint64(s.SourceIDIndex)
	if ag.flows == nil {
		ag.flows = make(map[uint64]*flowSource)
	}
	fs := ag.lastFlow
	if fs == nil || ag.lastFlowKey != k {
		fs = ag.flows[k]
	}
	if fs == nil {
		l := sh.lim
		if len(ag.flows) >= l.opt.MaxSourcesPerAgent || !take(&l.flowSources, l.opt.MaxSources) {
			l.refusedSources.Add(1)
			return
		}
		fs = &flowSource{}
		ag.flows[k] = fs
	}
	ag.lastFlow, ag.lastFlowKey = fs, k
	ns := now.UnixNano()
	bound := plausibleJump(fs.rate.perSec(now), time.Duration(ns-fs.lastSeen))
	// A sample from another process (stream generation) than the previous one starts the source again, even
	// when its uptime and sequence number alone do not tell.
	restarted := fs.seq.init && fs.gen != ag.gen
	fs.gen = ag.gen
	if restarted {
		fs.seq = sequence{}
	}
	lost, v := fs.seq.observe(s.SequenceNumber, d.Uptime, bound)
	if restarted {
		v = seqRestart
	}
	fs.rate.add(now, 1)
	fs.lastSeen = max(fs.lastSeen, ns)
	ag.lostSamples += lost
	sh.lostSamples += lost

	var gained uint32
	switch v {
	case seqNext:
		if s.Drops != sflow.Unavailable32 && fs.drops != sflow.Unavailable32 {
			if g := s.Drops - fs.drops; g <= bound { // a fall or a leap starts a new baseline
				gained = g
			}
		}
		if g := s.SamplePool - fs.pool; uint64(g) <= maxPoolSkip*uint64(max(s.SamplingRate, 1))*uint64(lost+1) {
			fs.poolGain += uint64(g)
			fs.samples++
		}
		fs.drops, fs.pool, fs.samplingRate = s.Drops, s.SamplePool, s.SamplingRate
	case seqLate:
		fs.samples++ // its packets are in the pool gain already
	case seqRestart:
		if s.Drops != sflow.Unavailable32 && s.Drops <= bound {
			gained = s.Drops // the counter restarted with the agent: all of it is new
		}
		fs.drops, fs.pool, fs.samplingRate = s.Drops, s.SamplePool, s.SamplingRate
	case seqFirst:
		fs.drops, fs.pool, fs.samplingRate = s.Drops, s.SamplePool, s.SamplingRate
	}
	ag.sampleDrops += uint64(gained)
	sh.sampleDrops += uint64(gained)
}

// sampling returns the agent's declared sampling rate (the mean over its flow sources, weighted by samples)
// and its effective one (Δsample_pool / samples counted); 0 for both until two samples of a source arrived.
func (a *agent) sampling() (declared, effective float64) {
	var pool, n, decl float64
	for _, fs := range a.flows {
		pool += float64(fs.poolGain)
		n += float64(fs.samples)
		decl += float64(fs.samplingRate) * float64(fs.samples)
	}
	if n == 0 {
		return 0, 0
	}
	return decl / n, pool / n
}
