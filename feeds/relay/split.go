package relay

import (
	"fmt"
	"net"
	"net/netip"
	"sync/atomic"
)

// Splitter sends each datagram, unchanged, to one of its targets chosen by the agent address inside it:
// rendezvous hashing (the target with the highest hash of agent and target), so an agent always lands on the
// same collector, and adding or removing a collector moves only the agents that belonged to it. A datagram
// whose agent cannot be read goes by its UDP source address. Send is safe for concurrent use.
type Splitter struct {
	Targets  []*Target
	conn     *net.UDPConn
	unparsed atomic.Uint64
}

// NewSplitter opens the sending socket; there must be at least one target.
func NewSplitter(targets []*Target) (*Splitter, error) {
	if len(targets) == 0 {
		return nil, fmt.Errorf("relay: no targets")
	}
	conn, err := net.ListenUDP("udp", nil)
	if err != nil {
		return nil, fmt.Errorf("relay: open a UDP socket: %w", err)
	}
	return &Splitter{Targets: targets, conn: conn}, nil
}

// Send relays one datagram received from src.
func (s *Splitter) Send(b []byte, src netip.AddrPort) {
	agent, ok := AgentAddr(b)
	if !ok {
		s.unparsed.Add(1)
		agent = src.Addr().Unmap()
	}
	send(s.conn, s.Targets[Pick(agent, s.Targets)], b)
}

// Unparsed returns how many datagrams had no readable agent address (relayed by their UDP source).
func (s *Splitter) Unparsed() uint64 { return s.unparsed.Load() }

// Close closes the socket.
func (s *Splitter) Close() error { return s.conn.Close() }

// Pick returns the index of the target agent belongs to: the highest FNV-1a hash of agent address and target
// address. It depends only on the two addresses, not on the targets' order.
func Pick(agent netip.Addr, targets []*Target) int {
	a := agent.Unmap().As16()
	best, bestH := 0, uint64(0)
	for i, t := range targets {
		to := t.To.Addr().Unmap().As16()
		h := fnv(fnv(fnv(offset64, a[:]), to[:]), []byte{byte(t.To.Port() >> 8), byte(t.To.Port())})
		h = mix(h)
		if i == 0 || h > bestH {
			best, bestH = i, h
		}
	}
	return best
}

const offset64 = 14695981039346656037

func fnv(h uint64, b []byte) uint64 {
	for _, c := range b {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

// mix is the splitmix64 finaliser: FNV's high bits alone spread similar inputs poorly.
func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}
