package model

import (
	"math/bits"
	"net/netip"
	"time"
)

// agentKey identifies one sFlow instance: datagram sequence numbers count per agent address and sub-agent.
type agentKey struct {
	addr netip.Addr
	sub  uint32
}

// agent is the ingest account of one sFlow instance.
type agent struct {
	key            agentKey
	sender         netip.Addr // the UDP source of the datagram that created it (Options.MaxAgentsPerSender)
	firstSeen      time.Time
	dirty          bool      // changed since its row was made (and in its shard's dirtyAgents)
	warm           bool      // in its shard's warmAgents
	gone           bool      // forgotten
	pubRow         *AgentRow // published last
	datagrams      uint64
	samples        uint64
	lost           int64 // can shrink when a datagram counted lost arrives late
	duplicates     uint64
	restarts       int64 // can shrink when a process taken for restarted speaks again (see agent.observe)
	decodeErrors   uint64
	unknownRecords uint64
	sampleDrops    uint64
	lostSamples    int64 // flow-sample sequence gaps; can shrink like lost
	lastSeen       time.Time
	rate           rateMeter // datagrams/s
	gens           uint32    // generations handed out to streams
	gen            uint32    // the generation of the stream of the datagram being ingested
	streams        [maxStreams]stream
	nStreams       int
	flows          map[uint64]*flowSource // flow data sources by class<<32 | index (loss.go)
	lastFlow       *flowSource            // the one of the previous flow sample, nil when forgotten
	lastFlowKey    uint64
}

// maxStreams bounds the sequence streams tracked per agent row.
const maxStreams = 4

// stream is one sequence of datagrams of an agent row, told apart by UDP source port: two processes on one
// machine may both call themselves sub-agent 0 (mod-sflow and the memcached patch do), each with its own
// sequence numbers.
type stream struct {
	port     uint16
	seq      sequence
	rate     rateMeter // datagrams/s, for the plausibility bound
	lastSeen time.Time
	// gen changes when the stream starts and when it restarts: the sequences of the process's data sources
	// start again with it.
	gen uint32
	// retired is set when a process on another port was taken for this one restarted: the restart is taken
	// back if this stream sends again.
	retired bool
}

// observe accounts one datagram of the agent row from UDP port at now. It returns how the count of lost
// datagrams changes (negative when a datagram counted lost arrives late), how the count of restarts changes,
// and the verdict (seqDuplicate: the datagram was seen already and must not be counted again). It sets a.gen to
// the generation of the datagram's stream.
//
// A restart is seen on one port when the uptime goes back or the sequence number jumps back (or implausibly
// forward, see plausibleJump). A restarted agent often sends from a new port: a new port is that agent
// restarted when an existing stream of the row fell silent before the new process booted (its silence, give
// or take restartOverlap, is longer than the new uptime) and the new uptime is less than that stream's would be
// now. Of several, the one that fell silent last before the boot is taken as the one restarted; should it send
// again, the two were processes side by side after all and the restart is taken back.
func (a *agent) observe(port uint16, seq, uptime uint32, now time.Time) (lost int64, restarts int64, v verdict) {
	a.rate.add(now, 1)
	st := a.find(port)
	if st == nil {
		st = a.newStream(port, uptime, now)
		if st.retired { // newStream marks the new stream this way when it succeeds another
			st.retired, restarts = false, 1
		}
	}
	elapsed := now.Sub(st.lastSeen)
	lost, v = st.seq.observe(seq, uptime, plausibleJump(st.rate.perSec(now), elapsed))
	st.rate.add(now, 1)
	if now.After(st.lastSeen) {
		st.lastSeen = now
	}
	if st.retired && (v == seqNext || v == seqRestart) {
		st.retired = false
		restarts-- // it is alive: the process on the other port was not its restart
	}
	if v == seqRestart || v == seqFirst {
		a.gens++
		st.gen = a.gens
	}
	if v == seqRestart {
		restarts++
	}
	a.gen = st.gen
	return lost, restarts, v
}

// find returns the stream of port, nil when there is none.
func (a *agent) find(port uint16) *stream {
	for i := range a.nStreams {
		if a.streams[i].port == port {
			return &a.streams[i]
		}
	}
	return nil
}

// newStream adds a stream for port, replacing a retired stream or else the least recently seen one when full.
// The new stream comes back with retired set when it is the restart of another (which is then retired).
func (a *agent) newStream(port uint16, uptime uint32, now time.Time) *stream {
	var pred *stream
	var predOver int64
	for i := range a.nStreams {
		st := &a.streams[i]
		if st.retired || !st.seq.init {
			continue
		}
		silent := now.Sub(st.lastSeen).Milliseconds()
		if int64(st.seq.maxUptime)+silent-int64(uptime) <= restartSlack {
			continue // the new process is as old as it: not its restart
		}
		// over is how long before the new process booted the stream fell silent; below -restartOverlap it
		// sent long after. The one that fell silent last before the boot is the likeliest.
		over := silent - int64(uptime)
		if over < -restartOverlap {
			continue
		}
		if pred == nil || over >= 0 && (predOver < 0 || over < predOver) || over < 0 && predOver < 0 && over > predOver {
			pred, predOver = st, over
		}
	}
	if pred != nil {
		pred.retired = true
	}
	slot := -1
	if a.nStreams < maxStreams {
		slot = a.nStreams
		a.nStreams++
	} else {
		for i := range a.streams {
			st := &a.streams[i]
			if st == pred {
				continue
			}
			if slot < 0 || st.retired && !a.streams[slot].retired ||
				st.retired == a.streams[slot].retired && st.lastSeen.Before(a.streams[slot].lastSeen) {
				slot = i
			}
		}
	}
	a.streams[slot] = stream{port: port, lastSeen: now, retired: pred != nil}
	return &a.streams[slot]
}

// reorderWindow is how far back (in datagrams) a late datagram is still recognised as reordered rather than
// as an agent restart. Several ingest workers and the network both reorder a little.
const reorderWindow = 64

// restartSlack is how far an agent's uptime may go back before that alone means it restarted: reordered
// datagrams differ by milliseconds, a restarted agent by however long it had been running.
const restartSlack = 2000 // ms

// restartOverlap is how long a stream may have gone on sending after a process on a new port booted for that
// process still to be taken for its restart: the receive times and the agents' uptimes are on different clocks
// (a replay compresses time; a stream that sends every 30 s may look alive well after its agent died). A
// process taken wrongly for a restart is taken back when its supposed predecessor sends again.
const restartOverlap = 60_000 // ms

// uptimeWrapSpan is how close to the u32 limit the uptime must be, and how small afterwards, for a decrease to be
// read as the ms counter wrapping (every 49.7 days) rather than a restart.
const uptimeWrapSpan = 3_600_000 // ms

// Bound on a plausible forward jump of a sequence number (datagrams of an agent, flow samples of a data
// source) or rise of a drops counter: minJump, or jumpFactor times what the recent rate gives over the time
// elapsed since the previous one, whichever is larger. A larger jump is no burst of loss but an agent that
// restarted or resynchronised, or a forged or corrupt datagram: it starts a new baseline and adds nothing,
// so one datagram cannot add more than about minJump to lost or drops.
const (
	minJump    = 1000
	jumpFactor = 10
)

// plausibleJump returns the largest plausible forward jump after elapsed at a recent rate of perSec.
func plausibleJump(perSec float64, elapsed time.Duration) uint32 {
	n := jumpFactor * perSec * max(elapsed.Seconds(), 1)
	if n >= 1<<31 {
		return 1<<31 - 1
	}
	return max(minJump, uint32(n))
}

// verdict is what a sequence number says of the datagram (or sample) that carries it.
type verdict uint8

const (
	seqFirst     verdict = iota // the first one seen: a baseline
	seqNext                     // newer than any seen before
	seqLate                     // older than the newest, not seen before: counted now
	seqDuplicate                // seen already
	seqRestart                  // the sender restarted (or jumped implausibly): a new baseline
)

// sequence tracks the sequence numbers of one sender to count lost datagrams (or samples) and restarts exactly,
// tolerating reordering within reorderWindow.
type sequence struct {
	init      bool
	max       uint32 // highest sequence number seen since the last restart
	maxUptime uint32
	// lostMask has bit i set when sequence number max-i was counted lost and has not arrived since.
	lostMask uint64
	// seenMask has bit i set when max-i was received (to tell a duplicate from a datagram from before init).
	seenMask uint64
}

// observe accounts one sequence number seen with the sender's uptime; a forward jump beyond maxJump is a
// restart. It returns how the count of lost ones changes (negative when one counted lost arrives late) and
// the verdict.
func (s *sequence) observe(seq, uptime, maxJump uint32) (lostDelta int64, v verdict) {
	if !s.init {
		s.reset(seq, uptime)
		return 0, seqFirst
	}
	uptimeBack := uptime < s.maxUptime && s.maxUptime-uptime > restartSlack &&
		!(s.maxUptime > ^uint32(0)-uptimeWrapSpan && uptime < uptimeWrapSpan)
	fwd := seq - s.max
	switch {
	case uptimeBack:
	case fwd != 0 && fwd < 1<<31:
		if fwd > maxJump {
			break
		}
		gap := fwd - 1
		if fwd >= 64 {
			s.lostMask, s.seenMask = 0, 0
			if gap >= 63 {
				s.lostMask = ^uint64(0) &^ 1
			} else {
				s.lostMask = (uint64(1)<<gap - 1) << 1
			}
		} else {
			s.lostMask = s.lostMask<<fwd | (uint64(1)<<gap-1)<<1
			s.seenMask <<= fwd
		}
		s.seenMask |= 1
		s.max = seq
		s.maxUptime = max(s.maxUptime, uptime)
		if uptime < s.maxUptime && s.maxUptime-uptime > restartSlack {
			s.maxUptime = uptime // the ms counter wrapped
		}
		return int64(gap), seqNext
	default:
		back := s.max - seq
		if back < reorderWindow {
			bit := uint64(1) << back
			switch {
			case s.lostMask&bit != 0:
				s.lostMask &^= bit
				s.seenMask |= bit
				return -1, seqLate
			case s.seenMask&bit != 0:
				return 0, seqDuplicate
			default:
				// From before the first one seen: those between it and the oldest known were lost, unless they
				// too arrive late.
				oldest := 63 - bits.LeadingZeros64(s.seenMask|s.lostMask)
				holes := (bit - 1) &^ (uint64(2)<<oldest - 1)
				s.lostMask |= holes
				s.seenMask |= bit
				return int64(bits.OnesCount64(holes)), seqLate
			}
		}
	}
	s.reset(seq, uptime)
	return 0, seqRestart
}

func (s *sequence) reset(seq, uptime uint32) {
	*s = sequence{init: true, max: seq, maxUptime: uptime, seenMask: 1}
}

// rateMeter estimates a recent rate of events from counts in the current and the previous meterWindow. Its
// times are unix ns (it is on the path of every sample: time.Time arithmetic showed in the profile).
type rateMeter struct {
	first int64 // the first event; 0 before it
	start int64 // start of the current window
	cur   uint64
	prev  uint64
}

// meterWindow is the span of a rateMeter's windows: the rate is over the last one to two of them.
const meterWindow = 10 * time.Second

// roll moves the windows up to now (unix ns).
func (m *rateMeter) roll(now int64) {
	if m.first == 0 {
		m.first, m.start = now, now
		return
	}
	d := now - m.start
	if d < int64(meterWindow) {
		return
	}
	m.prev = m.cur
	if d >= 2*int64(meterWindow) {
		m.prev = 0
	}
	m.cur = 0
	m.start += d - d%int64(meterWindow)
}

// add counts n events at now.
func (m *rateMeter) add(now time.Time, n uint64) {
	m.roll(now.UnixNano())
	m.cur += n
}

// perSec returns the events per second over the current and previous windows (over at least a second).
func (m *rateMeter) perSec(now time.Time) float64 {
	if m.first == 0 {
		return 0
	}
	t := now.UnixNano()
	m.roll(t)
	from := max(m.start-int64(meterWindow), m.first)
	return float64(m.cur+m.prev) / max(float64(t-from)/1e9, 1)
}
