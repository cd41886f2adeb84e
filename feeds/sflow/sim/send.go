package sim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// ErrNotLoopback is wrapped by Run's error when the destination resolves to an address outside 127.0.0.0/8 and
// ::1 and sending elsewhere was not allowed (Sender.AllowRemote).
var ErrNotLoopback = errors.New("not a loopback address")

// Stats counts what a Sender sent.
type Stats struct {
	Datagrams uint64
	Bytes     uint64        // UDP payload bytes
	Elapsed   time.Duration // wall-clock time spent
	Virtual   time.Duration // virtual time the fleet advanced: less than Elapsed when Rate held it back
}

// Rate is the datagrams sent per second of Elapsed.
func (s Stats) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Datagrams) / s.Elapsed.Seconds()
}

// String is the summary `fleettop sim` prints: "sent N datagrams (B bytes) in D (R/s)", D a Go duration
// rounded to the millisecond and R the datagrams per second with one decimal.
func (s Stats) String() string {
	return fmt.Sprintf("sent %d datagrams (%d bytes) in %s (%.1f/s)", s.Datagrams, s.Bytes,
		s.Elapsed.Round(time.Millisecond), s.Rate())
}

// Sender plays a Fleet in real time to a UDP destination.
type Sender struct {
	To          string        // HOST:PORT; HOST must resolve to loopback addresses unless AllowRemote
	Rate        float64       // at most this many datagrams per second; 0 = the fleet's natural rate
	Duration    time.Duration // stop after this long; 0 = when ctx is done
	AllowRemote bool          // allow a destination outside 127.0.0.0/8 and ::1
}

// senderSockets bounds the sockets a Sender opens: agent restarts cycle through them.
const senderSockets = 8

// sendStep is how far the virtual clock moves per Tick while sending.
const sendStep = 50 * time.Millisecond

// pacerSlack is how far behind its schedule the rate limiter may fall before it forgets the debt: after the
// fleet had nothing to send for a while, it does not send a burst to catch up.
const pacerSlack = 50 * time.Millisecond

// errStop ends a Tick early when the Sender's time is up.
var errStop = errors.New("sim: stop")

// Run ticks f from its current virtual time in step with the wall clock and sends each datagram to s.To from an
// unconnected UDP socket (a restarted agent from another one, see TickFrom), until ctx is done or s.Duration has passed; both are a normal end. The virtual clock
// never runs ahead of the wall clock; when Rate holds the sending back, virtual time slows down instead of
// datagrams being dropped, so a collector sees no sequence gaps. Run returns what it sent, and an error for a bad
// or refused destination or a failed send.
func (s Sender) Run(ctx context.Context, f *Fleet) (Stats, error) {
	var st Stats
	if s.Rate < 0 {
		return st, fmt.Errorf("send rate %v: want 0 (natural) or more", s.Rate)
	}
	to, err := ResolveTarget(ctx, s.To, s.AllowRemote)
	if err != nil {
		return st, err
	}
	network := "udp4"
	if to.Addr().Is6() {
		network = "udp6"
	}
	// One socket per agent process generation: a restarted agent sends from a new source port.
	var conns [senderSockets]*net.UDPConn
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
	}()
	socket := func(i int) (*net.UDPConn, error) {
		i %= senderSockets
		if conns[i] == nil {
			c, err := net.ListenUDP(network, nil)
			if err != nil {
				return nil, fmt.Errorf("open a UDP socket: %w", err)
			}
			conns[i] = c
		}
		return conns[i], nil
	}
	if _, err := socket(0); err != nil {
		return st, err
	}

	start := time.Now()
	var deadline time.Time
	if s.Duration > 0 {
		deadline = start.Add(s.Duration)
	}
	expired := func() bool { return ctx.Err() != nil || !deadline.IsZero() && !time.Now().Before(deadline) }
	pace := pacer{}
	if s.Rate > 0 {
		pace.interval = time.Duration(float64(time.Second) / s.Rate)
	}
	emit := func(b []byte, sock int) error {
		if expired() || !pace.wait(ctx, deadline) {
			return errStop
		}
		conn, err := socket(sock)
		if err != nil {
			return err
		}
		n, err := conn.WriteToUDPAddrPort(b, to)
		if err != nil {
			return fmt.Errorf("send to %v: %w", to, err)
		}
		st.Datagrams++
		st.Bytes += uint64(n)
		return nil
	}

	v0 := f.Now()
	virtual := v0
	for {
		next := virtual.Add(sendStep)
		if wait := time.Until(start.Add(next.Sub(v0))); wait > 0 && !sleep(ctx, wait, deadline) {
			break
		}
		if expired() {
			break
		}
		err := f.TickFrom(next, emit)
		virtual = next
		if errors.Is(err, errStop) {
			break
		}
		if err != nil {
			st.Elapsed, st.Virtual = time.Since(start), f.Now().Sub(v0)
			return st, err
		}
	}
	st.Elapsed, st.Virtual = time.Since(start), f.Now().Sub(v0)
	return st, nil
}

// Send plays f to a loopback destination for duration (0: until ctx is done) at most rate datagrams per second
// (0: the fleet's natural rate). It is Sender{To: to, Rate: rate, Duration: duration}.Run(ctx, f).
func Send(ctx context.Context, f *Fleet, to string, rate float64, duration time.Duration) (Stats, error) {
	return Sender{To: to, Rate: rate, Duration: duration}.Run(ctx, f)
}

// ResolveTarget resolves HOST:PORT (HOST a name or an address; empty means 127.0.0.1) to the address to send
// to, preferring IPv4. Unless allowRemote, every address HOST resolves to must be a loopback address: a name
// that resolves partly elsewhere is refused too, with an error wrapping ErrNotLoopback.
func ResolveTarget(ctx context.Context, hostPort string, allowRemote bool) (netip.AddrPort, error) {
	host, portText, err := net.SplitHostPort(hostPort)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("destination %q: %w", hostPort, err)
	}
	port, err := net.DefaultResolver.LookupPort(ctx, "udp", portText)
	if err != nil || port <= 0 || port > 65535 {
		return netip.AddrPort{}, fmt.Errorf("destination %q: bad port %q", hostPort, portText)
	}
	var addrs []netip.Addr
	if host == "" {
		addrs = []netip.Addr{netip.AddrFrom4([4]byte{127, 0, 0, 1})}
	} else if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else if addrs, err = net.DefaultResolver.LookupNetIP(ctx, "ip", host); err != nil {
		return netip.AddrPort{}, fmt.Errorf("destination %q: %w", hostPort, err)
	}
	var best netip.Addr
	for _, a := range addrs {
		a = a.Unmap()
		if !allowRemote && !a.IsLoopback() {
			return netip.AddrPort{}, fmt.Errorf("destination %q: %v: %w", hostPort, a, ErrNotLoopback)
		}
		if !best.IsValid() || a.Is4() && !best.Is4() {
			best = a
		}
	}
	if !best.IsValid() {
		return netip.AddrPort{}, fmt.Errorf("destination %q: no address", hostPort)
	}
	return netip.AddrPortFrom(best, uint16(port)), nil
}

// pacer spaces sends interval apart on average; it sleeps only when more than a millisecond ahead, so high
// rates are not held back by the timer's resolution.
type pacer struct {
	interval time.Duration // 0: no limit
	next     time.Time
}

// wait blocks until the next send is allowed; false when ctx is done or deadline (if set) comes first.
func (p *pacer) wait(ctx context.Context, deadline time.Time) bool { return p.waitN(ctx, deadline, 1) }

// waitN is wait for a batch of n sends.
func (p *pacer) waitN(ctx context.Context, deadline time.Time, n int) bool {
	if p.interval <= 0 {
		return true
	}
	now := time.Now()
	if p.next.IsZero() || now.Sub(p.next) > pacerSlack {
		p.next = now
	}
	if ahead := p.next.Sub(now); ahead > time.Millisecond && !sleep(ctx, ahead, deadline) {
		return false
	}
	p.next = p.next.Add(time.Duration(n) * p.interval)
	return true
}

// sleep waits d; false when ctx is done or deadline (if set) comes first.
func sleep(ctx context.Context, d time.Duration, deadline time.Time) bool {
	cut := false
	if !deadline.IsZero() {
		if left := time.Until(deadline); left < d {
			d, cut = max(left, 0), true
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return !cut
	}
}
