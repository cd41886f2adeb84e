package relay

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"

	"github.com/fleettop/fleettop/feeds/sflow/sim"
)

// Target is one --forward destination: every datagram, or those whose agent address is in one of Agents.
type Target struct {
	To     netip.AddrPort
	Agents []netip.Prefix // empty: every agent

	sent, errs atomic.Uint64
}

// ParseTarget parses HOST:PORT[,agent=CIDR]... (agent= repeatable; a bare address is a /32 or /128). HOST
// must be an address or a name that resolves.
func ParseTarget(ctx context.Context, s string) (*Target, error) {
	parts := strings.Split(s, ",")
	to, err := sim.ResolveTarget(ctx, strings.TrimSpace(parts[0]), true)
	if err != nil {
		return nil, fmt.Errorf("forward %q: %w", s, err)
	}
	t := &Target{To: to}
	for _, p := range parts[1:] {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || k != "agent" {
			return nil, fmt.Errorf("forward %q: %q: want agent=CIDR", s, p)
		}
		pfx, err := ParsePrefix(v)
		if err != nil {
			return nil, fmt.Errorf("forward %q: %w", s, err)
		}
		t.Agents = append(t.Agents, pfx)
	}
	return t, nil
}

// ParsePrefix parses a CIDR or a bare address (a single host).
func ParsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q: not a CIDR or an address", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// matches reports whether the target takes datagrams of agent (ok false: the agent could not be read).
func (t *Target) matches(agent netip.Addr, ok bool) bool {
	if len(t.Agents) == 0 {
		return true
	}
	if !ok {
		return false
	}
	for _, p := range t.Agents {
		if p.Contains(agent) {
			return true
		}
	}
	return false
}

// Sent returns how many datagrams went to the target, and how many sends failed.
func (t *Target) Sent() (sent, errs uint64) { return t.sent.Load(), t.errs.Load() }

// Forwarder sends each datagram, unchanged, to every target that takes its agent, from one UDP socket. Send is
// safe for concurrent use (the pipeline's workers call it).
type Forwarder struct {
	Targets []*Target
	conn    *net.UDPConn
}

// NewForwarder opens the sending socket.
func NewForwarder(targets []*Target) (*Forwarder, error) {
	conn, err := net.ListenUDP("udp", nil)
	if err != nil {
		return nil, fmt.Errorf("forward: open a UDP socket: %w", err)
	}
	return &Forwarder{Targets: targets, conn: conn}, nil
}

// Send forwards one datagram.
func (f *Forwarder) Send(b []byte) {
	agent, ok := AgentAddr(b)
	for _, t := range f.Targets {
		if t.matches(agent, ok) {
			send(f.conn, t, b)
		}
	}
}

func send(conn *net.UDPConn, t *Target, b []byte) {
	if _, err := conn.WriteToUDPAddrPort(b, t.To); err != nil {
		t.errs.Add(1)
		return
	}
	t.sent.Add(1)
}

// Close closes the socket.
func (f *Forwarder) Close() error {
	if err := f.conn.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}
