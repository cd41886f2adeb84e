package sim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Impairments are what can go wrong between the fleet's agents and a collector, injected deterministically from
// the seed so that demos and tests can show loss accounting. Probabilities are per datagram (Loss, Duplicate,
// Reorder) or per flow sample (RemoveSample, DropSample), from 0 to 1. The zero value impairs nothing, and an
// unimpaired fleet sends the same datagrams whatever the impairments of another run: they draw from a random
// stream of their own.
type Impairments struct {
	Loss      float64 // the datagram is lost on the way (its sequence number is used)
	Duplicate float64 // the datagram arrives twice
	Reorder   float64 // the datagram arrives after the agent's next one of the same second
	// RemoveSample removes a flow sample from its datagram after it was numbered: a gap in its data source's
	// sequence numbers, as an editing of the capture would leave.
	RemoveSample float64
	// DropSample makes the agent drop a flow sample for lack of resources, as sFlow agents do: it is never
	// numbered or sent, and the data source's drops counter counts it. Every data source then starts with a
	// drops counter of its lifetime before the first datagram, which a collector must take as a baseline.
	DropSample float64
	// RestartEvery restarts each agent once in every such span of virtual time, at a moment of its own: its
	// uptime, datagram and sample sequence numbers, sample pools, drops and application counters start again,
	// and it sends from a new UDP source port (Tick's socket index goes up by one). 0: never.
	RestartEvery time.Duration
}

// Validate says what is wrong with the impairments, if anything.
func (im Impairments) Validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"loss", im.Loss}, {"duplicate", im.Duplicate}, {"reorder", im.Reorder}, {"remove-sample", im.RemoveSample},
		{"drop-sample", im.DropSample}} {
		if !(p.v >= 0 && p.v <= 1) {
			return fmt.Errorf("%s probability %v: want 0 to 1", p.name, p.v)
		}
	}
	if im.RestartEvery < 0 || im.RestartEvery > 0 && im.RestartEvery < MinRestartEvery {
		return fmt.Errorf("restart every %v: want 0 (never) or at least %v", im.RestartEvery, MinRestartEvery)
	}
	return nil
}

// MinRestartEvery is the shortest Impairments.RestartEvery: an agent restarts at most once per few of its
// datagrams.
const MinRestartEvery = 5 * time.Second

// impairer applies Impairments as datagrams and samples leave the agents.
type impairer struct {
	Impairments
	rng *rand.Rand // nil when nothing is impaired at random
}

func (im *impairer) init(seed int64, opt Impairments) {
	im.Impairments = opt
	if opt.Loss > 0 || opt.Duplicate > 0 || opt.Reorder > 0 || opt.RemoveSample > 0 || opt.DropSample > 0 {
		im.rng = rand.New(rand.NewPCG(uint64(seed), 0x1a2b3c4d))
	}
}

// chance draws whether an event of probability p happens.
func (im *impairer) chance(p float64) bool { return p > 0 && im.rng.Float64() < p }

// send emits datagram b of agent a through the impairments: lost, held back until the agent's next datagram
// (or the end of its second), sent, sent twice; a datagram held back before goes out after it.
func (im *impairer) send(a *agent, b []byte, emit func([]byte, int) error) error {
	if im.chance(im.Loss) {
		return nil
	}
	if a.held == nil && im.chance(im.Reorder) {
		a.held, a.heldSocket = append(a.heldBuf[:0], b...), a.socket
		a.heldBuf = a.held
		return nil
	}
	err := emit(b, a.socket)
	if err == nil && im.chance(im.Duplicate) {
		err = emit(b, a.socket)
	}
	if err == nil {
		err = im.release(a, emit)
	}
	return err
}

// release emits the datagram agent a held back, if any: reordering spans milliseconds, so a datagram held
// back arrives by the end of its agent's second.
func (im *impairer) release(a *agent, emit func([]byte, int) error) error {
	if a.held == nil {
		return nil
	}
	held := a.held
	a.held = nil
	return emit(held, a.heldSocket)
}

// restartDue restarts agent a if one of its restart moments has come by ms.
func (f *Fleet) restartDue(a *agent, ms int64) {
	every := f.imp.RestartEvery.Milliseconds()
	if every <= 0 {
		return
	}
	if a.restartAt == 0 {
		a.restartAt = 1 + int64(mix(uint64(f.opt.Seed), a.id, 0x7e57a7)%uint64(every))
	}
	if ms < a.restartAt {
		return
	}
	for a.restartAt <= ms {
		a.restartAt += every
	}
	a.bootMs = ms - 1 - int64(mix(uint64(f.opt.Seed), a.id, uint64(ms))%500) // booted just now
	a.seq, a.flowSeq, a.ctrSeq, a.pool, a.drops = 0, 0, 0, samplePool{}, 0
	a.socket++
	switch a.kind {
	case agentHTTP, agentMemcache, agentJVM:
		a.app = appCounters{} // the application's counters start again with its process
	case agentSwitch:
		for _, p := range a.sw.ports {
			p.flowSeq, p.ctrSeq, p.pool, p.drops = 0, 0, samplePool{}, 0
		}
	}
}

// initialDrops is a data source's drops counter when the fleet starts: what the agent dropped in its lifetime
// before, when samples are dropped at all.
func (f *Fleet) initialDrops(salt uint64) uint32 {
	if f.imp.DropSample <= 0 {
		return 0
	}
	return uint32(100 + mix(uint64(f.opt.Seed), salt, 0xd509)%100_000)
}

// dropSample draws whether the agent drops the flow sample it is taking; it then counts it in drops.
func (im *impairer) dropSample(drops *uint32) bool {
	if !im.chance(im.DropSample) {
		return false
	}
	*drops++
	return true
}

// samplePool is a data source's sample_pool as a real agent keeps it: the packets (or operations) it could
// have sampled, each sample taken a random skip of about the sampling rate after the one before.
type samplePool struct {
	seen uint64 // packets up to the end of the current second
	at   uint64 // the pool at the newest sample
}

// tick adds one second's packets (or the backlog since boot); the second's samples come after the packets
// of the seconds before.
func (p *samplePool) tick(packets float64) {
	p.at = max(p.at, p.seen)
	p.seen += uint64(packets)
}

// sample returns the pool at the next sample of a 1-in-rate sampler: a skip from 1 to 2×rate-1, drawn from a
// hash of the sample's sequence number and the pool so far (the agents' own random streams stay as they were).
func (p *samplePool) sample(rate uint32, seq uint32) uint32 {
	span := 2*uint64(max(rate, 1)) - 1
	p.at += 1 + mix(uint64(seq), p.at)%span
	return uint32(p.at)
}
