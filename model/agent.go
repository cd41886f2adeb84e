package model

import (
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
	datagrams      uint64
	samples        uint64
	lost           int64 // can shrink when a datagram counted lost arrives late
	restarts       uint64
	decodeErrors   uint64
	unknownRecords uint64
	sampleDrops    uint64
	lastSeen       time.Time
	streams        [maxStreams]stream
	nStreams       int
	flows          map[uint64]*flowSource // flow data sources by class<<32 | index, for their drops counters
}

// maxStreams bounds the sequence streams tracked per agent row.
const maxStreams = 4

// stream is one sequence of datagrams of an agent row, told apart by UDP source port: two processes on one
// machine may both call themselves sub-agent 0 (mod-sflow and the memcached patch do), each with its own
// sequence numbers.
type stream struct {
	port     uint16
	seq      sequence
	lastSeen time.Time
}

// stream returns the sequence state of datagrams from port, replacing the least recently used one when full.
func (a *agent) stream(port uint16, now time.Time) *sequence {
	lru := 0
	for i := range a.nStreams {
		st := &a.streams[i]
		if st.port == port {
			st.lastSeen = now
			return &st.seq
		}
		if st.lastSeen.Before(a.streams[lru].lastSeen) {
			lru = i
		}
	}
	i := a.nStreams
	if i == maxStreams {
		i = lru
	} else {
		a.nStreams++
	}
	a.streams[i] = stream{port: port, lastSeen: now}
	return &a.streams[i].seq
}

// reorderWindow is how far back (in datagrams) a late datagram is still recognised as reordered rather than
// as an agent restart. Several ingest workers and the network both reorder a little.
const reorderWindow = 64

// restartSlack is how far an agent's uptime may go back before that alone means it restarted: reordered
// datagrams differ by milliseconds, a restarted agent by however long it had been running.
const restartSlack = 2000 // ms

// uptimeWrapSpan is how close to the u32 limit the uptime must be, and how small afterwards, for a decrease to be
// read as the ms counter wrapping (every 49.7 days) rather than a restart.
const uptimeWrapSpan = 3_600_000 // ms

// sequence tracks the datagram sequence numbers of one agent to count lost datagrams and restarts exactly,
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

// observe accounts one datagram. It returns how the count of lost datagrams changes (negative when a
// datagram counted lost arrives late) and whether the agent restarted.
func (s *sequence) observe(seq, uptime uint32) (lostDelta int64, restarted bool) {
	if !s.init {
		s.reset(seq, uptime)
		return 0, false
	}
	uptimeBack := uptime < s.maxUptime && s.maxUptime-uptime > restartSlack &&
		!(s.maxUptime > ^uint32(0)-uptimeWrapSpan && uptime < uptimeWrapSpan)
	fwd := seq - s.max
	switch {
	case uptimeBack:
	case fwd != 0 && fwd < 1<<31:
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
		return int64(gap), false
	default:
		back := s.max - seq
		if back < reorderWindow {
			bit := uint64(1) << back
			switch {
			case s.lostMask&bit != 0:
				s.lostMask &^= bit
				s.seenMask |= bit
				return -1, false
			case s.seenMask&bit != 0:
				return 0, false // a duplicate
			default:
				s.seenMask |= bit // from before the first datagram seen: never counted
				return 0, false
			}
		}
	}
	s.reset(seq, uptime)
	return 0, true
}

func (s *sequence) reset(seq, uptime uint32) {
	*s = sequence{init: true, max: seq, maxUptime: uptime, seenMask: 1}
}
